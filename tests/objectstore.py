"""An S3 API server on the loopback for the tests of files kept in an object store: moto's server mode, in a
process of its own, which the tests, the web side and the workers they start all reach over HTTP."""

import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass

import boto3

from config.settings import s3_storage

# moto accepts any key pair; the app and the tests sign their requests with this one.
ACCESS_KEY = "testnoegle"
SECRET_KEY = "testhemmelighed"
REGION = "eu-north-1"
START_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LoopbackS3:
    def __init__(self, log_path):
        self.log_path = log_path
        for _attempt in range(5):  # another process may take the free port before the server does
            self.port = _free_port()
            with open(log_path, "wb") as log:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            if self._answers():
                return
            self.stop()
        raise AssertionError(f"moto's S3 server did not start:\n{log_path.read_text(errors='replace')}")

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _answers(self) -> bool:
        deadline = time.monotonic() + START_SECONDS
        while self.process.poll() is None and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                time.sleep(0.1)
                continue
            # Listening, unless it was another process that had the port and this one stopped on finding so.
            time.sleep(0.2)
            return self.process.poll() is None
        return False

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def new_bucket(self) -> "Bucket":
        name = f"boligsocial-test-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        return Bucket(self, name)


@dataclass(frozen=True)
class Bucket:
    server: LoopbackS3
    name: str

    def keys(self) -> list[str]:
        listing = self.server.client().list_objects_v2(Bucket=self.name)
        return sorted(entry["Key"] for entry in listing.get("Contents", ()))

    def read(self, key) -> bytes:
        return self.server.client().get_object(Bucket=self.name, Key=key)["Body"].read()

    def delete(self, key):
        self.server.client().delete_object(Bucket=self.name, Key=key)

    def storage(self) -> dict:
        """STORAGES["default"] for the bucket, as settings.py makes it from the environment below."""
        return s3_storage(
            self.name,
            endpoint_url=self.server.endpoint_url,
            region=REGION,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
        )

    def environment(self) -> dict[str, str]:
        """The variables that point a process of the app (a worker, `manage.py`) at the bucket."""
        return {
            "DJANGO_S3_BUCKET": self.name,
            "DJANGO_S3_ENDPOINT_URL": self.server.endpoint_url,
            "DJANGO_S3_REGION": REGION,
            "DJANGO_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "DJANGO_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }
