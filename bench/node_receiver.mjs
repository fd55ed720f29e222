// A node webhook receiver written the usual way, for bench/bench_listen.sh:
// node's http server, the body collected as a Buffer, createHmac over it,
// timingSafeEqual against X-Signature, JSON.parse, read the event and the
// project id; 200, or 401 / 400. Binds 127.0.0.1 on a free port and
// prints it. Usage: node bench/node_receiver.mjs SECRET
import { createServer } from "node:http";
import { createHmac, timingSafeEqual } from "node:crypto";

const secret = process.argv[2];
let sink = 0;

const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
        const body = Buffer.concat(chunks);
        const want = createHmac("sha256", secret).update(body).digest();
        const got = Buffer.from(req.headers["x-signature"] || "", "hex");
        if (got.length !== want.length || !timingSafeEqual(want, got)) {
            res.writeHead(401).end("bad signature\n");
            return;
        }
        let p;
        try {
            p = JSON.parse(body.toString("utf8"));
        } catch {
            res.writeHead(400).end("not JSON\n");
            return;
        }
        sink += p.event.length + (p.currentValue?.todoList?.project?.id?.length || 0);
        res.writeHead(200, { "Content-Type": "text/plain" }).end("handled\n");
    });
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.on("SIGTERM", () => { server.close(); process.exit(sink < 0 ? 1 : 0); });
