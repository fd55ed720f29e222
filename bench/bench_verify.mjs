// node's verification of one Blue delivery, the way a node receiver does it:
// createHmac over the raw body Buffer, hex-decode X-Signature, timingSafeEqual.
// Prints the median nanoseconds per verification (run by bench/bench_verify.c).
// Usage: node bench/bench_verify.mjs BODY_FILE SECRET SIGNATURE_HEX
import { readFileSync } from "node:fs";
import { createHmac, timingSafeEqual } from "node:crypto";

const [file, secret, sigHex] = process.argv.slice(2);
const body = readFileSync(file);

function verify() {
    const want = createHmac("sha256", secret).update(body).digest();
    const got = Buffer.from(sigHex, "hex");
    return got.length === want.length && timingSafeEqual(want, got);
}

if (!verify()) { console.error("node does not verify the signature"); process.exit(1); }
let sink = 0;
function run(n) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += verify() ? 1 : 0;
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
