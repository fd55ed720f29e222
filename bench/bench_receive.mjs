// node's whole receive of one Blue delivery, the way a node receiver does
// it: createHmac over the raw body Buffer, hex-decode X-Signature,
// timingSafeEqual, JSON.parse, read .event and
// .currentValue.todoList.project.id. Prints the median nanoseconds per
// receive (run by bench/bench_receive.c).
// Usage: node bench/bench_receive.mjs BODY_FILE SECRET SIGNATURE_HEX
import { readFileSync } from "node:fs";
import { createHmac, timingSafeEqual } from "node:crypto";

const [file, secret, sigHex] = process.argv.slice(2);
const body = readFileSync(file);

function receive() {
    const want = createHmac("sha256", secret).update(body).digest();
    const got = Buffer.from(sigHex, "hex");
    if (got.length !== want.length || !timingSafeEqual(want, got)) return 0;
    const p = JSON.parse(body.toString("utf8"));
    return p.event.length + p.currentValue.todoList.project.id.length;
}

if (receive() !== 12 + 25) { console.error("node does not receive the delivery"); process.exit(1); }
let sink = 0;
function run(n) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += receive();
    return Number(process.hrtime.bigint() - t);
}
run(20000); // warm up the JIT
let iters = 1000;
const per = run(iters) / iters;
iters = Math.max(1, Math.floor(20e6 / per)); // about 20 ms a sample
const samples = [];
for (let r = 0; r < 31; r++) samples.push(run(iters) / iters);
samples.sort((a, b) => a - b);
console.log(samples[15].toFixed(1));
if (sink < 0) console.log(sink);
