"""Docker Engine used by the sandbox worker. The Docker SDK reads DOCKER_HOST itself."""

from .env import env

DOCKER_HOST = env.str("DOCKER_HOST", default="unix:///var/run/docker.sock")
DOCKER_PING_TIMEOUT_SECONDS = env.float("DOCKER_PING_TIMEOUT_SECONDS", default=2.0)
