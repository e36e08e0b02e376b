"""Docker Engine used by the sandbox worker. The Docker SDK reads DOCKER_HOST itself."""

from .env import env

DOCKER_HOST = env.str("DOCKER_HOST", default="unix:///var/run/docker.sock")
DOCKER_PING_TIMEOUT_SECONDS = env.float("DOCKER_PING_TIMEOUT_SECONDS", default=2.0)

# Sandbox tasks: their own queue (slow jobs don't starve quick ones), time limits
# above the sandbox's own, and the broker's visibility timeout above the hard
# limit (otherwise Redis hands a long task to a second worker).
SANDBOX_TASK_SOFT_TIME_LIMIT = env.int("SANDBOX_TASK_SOFT_TIME_LIMIT", default=900)
SANDBOX_TASK_TIME_LIMIT = env.int("SANDBOX_TASK_TIME_LIMIT", default=960)
SANDBOX_IMAGE = env.str("SANDBOX_IMAGE", default="")
SANDBOX_GATEWAY_IMAGE = env.str("SANDBOX_GATEWAY_IMAGE", default="")  # the model gateway's (sandbox.image)
# Wall time of a take-home's own tests in the sandbox (pytest); past it they count as timed out.
# Kept under SANDBOX_TASK_SOFT_TIME_LIMIT, which would otherwise cut the job off first.
TAKEHOME_TESTS_SECONDS = env.int("TAKEHOME_TESTS_SECONDS", default=120)
