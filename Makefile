# The two commands of the README, plus benchmarks and stopping services.
.PHONY: run test bench stop

run:    ## run the whole platform locally with demo data (Ctrl-C stops it)
	bash scripts/run.sh

test:   ## run the whole test suite against real services
	bash scripts/test.sh

bench:  ## run the benchmarks under tests/bench and print their figures
	bash scripts/bench.sh

stop:   ## stop the background services (PostgreSQL, Redis, the Docker Engine we started)
	bash scripts/services.sh down
