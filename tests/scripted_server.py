#!/usr/bin/env python3
"""A loopback HTTP server for the tests, failing in scripted ways.

scripted_server.py PORTFILE LOGDIR [ANSWER ...]

Binds 127.0.0.1 on a port the kernel picks and writes it to PORTFILE. The
n-th request gets the n-th ANSWER (past the end: 200). An ANSWER is an HTTP
status ("500", "302"), "reset" (close without answering), "silent" (answer
nothing for 30 s) or "slow" (a 200 whose body trickles out). Every request
is appended to LOGDIR/requests.jsonl: method, path, headers, body (latin-1).
"""
import json, os, socket, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

portfile, logdir = sys.argv[1], sys.argv[2]
answers = sys.argv[3:]
lock = threading.Lock()
count = [0]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        with lock:
            i = count[0]
            count[0] += 1
            with open(os.path.join(logdir, "requests.jsonl"), "a") as f:
                f.write(json.dumps({"n": i, "path": self.path,
                                    "headers": dict(self.headers.items()),
                                    "body": body.decode("latin-1")}) + "\n")
        answer = answers[i] if i < len(answers) else "200"
        if answer == "reset":  # close without a word: RST from linger 0
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        if answer == "silent":
            time.sleep(30)
            return
        status = 200 if answer == "slow" else int(answer)
        payload = b"ok\n"
        self.send_response(status)
        if 300 <= status < 400:
            self.send_header("Location", "http://169.254.169.254/")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if answer == "slow":
            for b in payload:
                time.sleep(0.05)
                self.wfile.write(bytes([b]))
                self.wfile.flush()
        else:
            self.wfile.write(payload)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".tmp", portfile)
server.serve_forever()
