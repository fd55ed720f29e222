// node doing the sender's end-to-end work, for bench_e2e.c: for each of N
// deliveries, build Blue's payload around the real record (a fresh "seq"
// each time), sign it (createHmac, hex) and POST it with http.request
// without keep-alive, one after another, waiting for each answer.
// Usage: node bench/bench_e2e.mjs RECORD_FILE PORT SECRET N -> ns per delivery
import { readFileSync } from "node:fs";
import { createHmac } from "node:crypto";
import http from "node:http";

const [file, port, secret, nArg] = process.argv.slice(2);
const record = JSON.parse(readFileSync(file, "utf8")).currentValue;
const webhook = { id: "hook-node", uid: "uid-node", name: "bench", url: `http://127.0.0.1:${port}/hook`,
                  secret: "", status: "HEALTHY", enabled: true, metadata: { events: [], projectIds: [] } };
const agent = new http.Agent({ keepAlive: false });
let seq = 0;
function post() {
    return new Promise((resolve, reject) => {
        const body = JSON.stringify({ event: "TODO_CREATED", webhook, currentValue: { seq: ++seq, ...record } });
        const sig = createHmac("sha256", secret).update(body).digest("hex");
        const req = http.request({ host: "127.0.0.1", port: Number(port), path: "/hook", method: "POST", agent,
                                   headers: { "Content-Type": "application/json", "X-Signature": sig,
                                              "Content-Length": Buffer.byteLength(body) } }, (res) => {
            res.resume();
            res.on("end", () => (res.statusCode >= 200 && res.statusCode < 300 ? resolve() : reject(res.statusCode)));
        });
        req.on("error", reject);
        req.end(body);
    });
}
const n = Number(nArg);
for (let i = 0; i < 100; i++) await post();
const t = process.hrtime.bigint();
for (let i = 0; i < n; i++) await post();
console.log((Number(process.hrtime.bigint() - t) / n).toFixed(1));
