"""The raw hand-off rate: the twilio SDK alone, no Django, no database (benchmarks/fanout.py).

With as many requests in flight as the worker, in processes and threads shaped like its pool:
C processes for prefork (each its own GIL), W processes of C threads for a threads pool. Each
process is `fanout.py --raw-client URL`, which calls `raw_client_main`.
"""

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

from fanout_setup import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER

FANOUT = Path(__file__).resolve().with_name("fanout.py")
RAW_BODY = (
    "URGENT Bench: Tentative de cambriolage, rue des Lilas. Deux hommes essaient les portes "
    "des voitures garees. http://127.0.0.1:8000/a/1"
)


def raw_client_main(url: str, count: int, threads: int, offset: int, start_at: float) -> None:
    """One process of the raw client: `threads` threads, each with its own Client, send their
    share of `count` SMS from the wall-clock time `start_at` on; prints when it started and ended."""
    from twilio.rest import Client

    share = [count // threads + (1 if i < count % threads else 0) for i in range(threads)]
    ready = threading.Barrier(threads + 1, timeout=60)
    errors = []

    def send(index: int, n: int) -> None:
        try:
            client = Client(ACCOUNT_SID, AUTH_TOKEN)
            client.api.base_url = url
            # As Vigilance's backend: the environment's proxy settings are not read per request.
            client.http_client.session.trust_env = False
            params = {"from_": FROM_NUMBER, "body": RAW_BODY, "validity_period": 3600}
            callback = "http://127.0.0.1:8000/alerts/twilio/status/?d="
            client.messages.create(to="+33699999999", status_callback=callback + "0", **params)  # warm-up
            ready.wait()
            for i in range(n):
                number = f"+336{offset + index:02d}{i:06d}"
                client.messages.create(to=number, status_callback=callback + str(i), **params)
        except Exception as error:
            errors.append(error)
            ready.abort()
            raise

    workers = [threading.Thread(target=send, args=(i, n)) for i, n in enumerate(share)]
    for worker in workers:
        worker.start()
    time.sleep(max(start_at - time.time(), 0))
    started = time.time()
    ready.wait()
    for worker in workers:
        worker.join()
    if errors:
        raise SystemExit(f"raw client failed: {errors[0]!r}")
    print(json.dumps({"started": started, "ended": time.time()}))


def raw_rate(fake, count: int, processes: int, threads: int) -> float:
    """SMS per second of `processes` raw client processes of `threads` threads each."""
    start_at = time.time() + 3  # time for every process to start and warm up
    share = [count // processes + (1 if i < count % processes else 0) for i in range(processes)]
    clients = [
        subprocess.Popen(
            [sys.executable, str(FANOUT), "--raw-client", fake.base_url, "--members", str(n)]
            + ["--concurrency", str(threads), "--raw-offset", str(i * threads), "--raw-start", str(start_at)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for i, n in enumerate(share)
    ]
    outputs = [client.communicate(timeout=600)[0] for client in clients]
    if any(client.returncode for client in clients):
        raise SystemExit("a raw client process failed")
    results = [json.loads(output.strip().splitlines()[-1]) for output in outputs]
    return count / (max(r["ended"] for r in results) - min(r["started"] for r in results))
