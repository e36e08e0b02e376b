# The two commands of the README, plus benchmarks and stopping services.
.PHONY: run test bench stop backup restore

run:    ## run the whole platform locally with demo data (Ctrl-C stops it)
	bash scripts/run.sh

test:   ## run the whole test suite against real services
	bash scripts/test.sh

bench:  ## run the benchmarks under tests/bench and print their figures
	bash scripts/bench.sh

stop:   ## stop the background services (PostgreSQL, Redis, the Docker Engine we started)
	bash scripts/services.sh down

backup: ## dump the database and archive the uploaded files into backups/<UTC time>/
	bash scripts/backup.sh

restore: ## put a backup back: make restore BACKUP=backups/<UTC time> [FORCE=1]
	@[ -n "$(BACKUP)" ] || { echo "usage: make restore BACKUP=backups/<UTC time> [FORCE=1]" >&2; exit 2; }
	bash scripts/restore.sh "$(BACKUP)" $(if $(FORCE),--force)
