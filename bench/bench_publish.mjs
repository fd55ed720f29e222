// node doing the sender's work for one event and N webhooks: build Blue's
// payload (JSON.stringify of the event, each webhook's object and the
// record) and sign it (createHmac, hex) once per webhook.
// Usage: node bench/bench_publish.mjs RECORD_FILE N   -> median ns per event
import { readFileSync } from "node:fs";
import { createHmac } from "node:crypto";

const [file, nArg] = process.argv.slice(2);
const record = JSON.parse(readFileSync(file, "utf8")).currentValue;
const n = Number(nArg);
const hooks = [];
for (let i = 0; i < n; i++)
    hooks.push({ id: `hook-${i}`, uid: `uid-${i}`, name: "bench", url: `http://127.0.0.1/${i}`,
                 secret: "", status: "HEALTHY", enabled: true,
                 metadata: { events: [], projectIds: [] }, key: `secret-${i}` });
let sink = 0;
function publish() {
    for (const h of hooks) {
        const { key, ...webhook } = h;
        const body = JSON.stringify({ event: "TODO_CREATED", webhook, currentValue: record });
        sink += createHmac("sha256", key).update(body).digest("hex").length;
    }
}
function run(k) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < k; i++) publish();
    return Number(process.hrtime.bigint() - t);
}
run(2000);
let iters = 100;
const per = run(iters) / iters;
iters = Math.max(1, Math.floor(20e6 / per));
const samples = [];
for (let r = 0; r < 21; r++) samples.push(run(iters) / iters);
samples.sort((a, b) => a - b);
console.log(samples[10].toFixed(1));
if (sink < 0) console.log(sink);
