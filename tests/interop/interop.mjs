// Interop both ways between bluehook (its CLI, build/bluehook) and the
// schemes' reference libraries: standardwebhooks, @octokit/webhooks-methods,
// stripe, and Blue's recipe in node's crypto (hex HMAC-SHA256 of the body).
// Each library signs random bodies that bluehook verifies, and bluehook signs
// bodies that each library verifies; a tampered body must fail both ways.
// Bodies are random JSON with multi-byte UTF-8 (2, 3 and 4 bytes): always
// valid UTF-8, because the JS libraries sign text, not bytes (a body that is
// not UTF-8 is altered before signing; see ../shared/vectors/README.md).
// Usage: node tests/interop/interop.mjs build/bluehook
// Prints "PASS name" or "FAIL name: why" per case.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import { Webhook } from "standardwebhooks";
import { sign as ghSign, verify as ghVerify } from "@octokit/webhooks-methods";
import Stripe from "stripe";

const BH = process.argv[2];
const N = 24; // bodies per scheme and direction
const stripe = new Stripe("sk_test_interop_never_used_on_the_network");

let seed = 0x2545f491;
function rand(n) {
    seed ^= seed << 13; seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5; seed >>>= 0;
    return seed % n;
}

// Code points from every UTF-8 length, never a lone surrogate.
const POOLS = [
    [0x20, 0x7e], [0xa0, 0x7ff], [0x800, 0xd7ff], [0xe000, 0xfffd], [0x10000, 0x10ffff],
];
function randomText(max) {
    const n = rand(max + 1);
    let s = "";
    for (let i = 0; i < n; i++) {
        const [lo, hi] = POOLS[rand(POOLS.length)];
        s += String.fromCodePoint(lo + rand(hi - lo + 1));
    }
    return s;
}
function randomBody(i) {
    return JSON.stringify({ event: "TODO_CREATED", n: i, text: randomText(i < 4 ? 3 : 700),
                            more: [randomText(20), rand(1000000)] });
}
// A secret as typed by a person: printable ASCII, sometimes a multi-byte letter.
function randomSecret() {
    let s = "";
    const n = 1 + rand(80);
    for (let i = 0; i < n; i++) s += String.fromCharCode(0x21 + rand(94));
    if (rand(3) === 0) s += "é✓";
    return s;
}
function randomStandardSecret() {
    return "whsec_" + crypto.randomBytes(16 + rand(60)).toString("base64");
}

function run(args, input) {
    const r = spawnSync(BH, args, { input, env: { PATH: process.env.PATH } });
    return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}
// bluehook sign: its headers as an object.
function bhSign(scheme, secret, body, extra = []) {
    const r = run(["sign", "--scheme", scheme, "--secret", secret, ...extra], body);
    if (r.status !== 0) throw new Error(`bluehook sign exited ${r.status}: ${r.stderr}`);
    const h = {};
    for (const line of r.stdout.trim().split("\n")) {
        const i = line.indexOf(": ");
        h[line.slice(0, i)] = line.slice(i + 2);
    }
    return h;
}
// bluehook verify: its exit status (0 ok, 1 rejected).
function bhVerify(scheme, secret, headers, body) {
    const args = ["verify", "--scheme", scheme, "--secret", secret];
    for (const [k, v] of Object.entries(headers)) args.push("--header", `${k}: ${v}`);
    return run(args, body);
}

function tamper(body) {
    return body.replace(/"n":(\d+)/, (m, d) => `"n":${Number(d) + 1}`);
}

const now = () => Math.floor(Date.now() / 1000);

// Each scheme: how the library signs, how it verifies, and a secret.
const schemes = {
    standard: {
        lib: "standardwebhooks",
        secret: randomStandardSecret,
        libSign(secret, body, i) {
            const ts = now(), id = `msg_interop_${i}_${rand(1e9)}`;
            return { "webhook-id": id, "webhook-timestamp": String(ts),
                     "webhook-signature": new Webhook(secret).sign(id, new Date(ts * 1000), body) };
        },
        bhSign(secret, body) { return bhSign("standard", secret, body, ["--timestamp", String(now())]); },
        async libVerify(secret, body, h) {
            try { new Webhook(secret).verify(body, h); return true; } catch { return false; }
        },
    },
    github: {
        lib: "@octokit/webhooks-methods",
        secret: randomSecret,
        async libSign(secret, body) { return { "X-Hub-Signature-256": await ghSign(secret, body) }; },
        bhSign(secret, body) { return bhSign("github", secret, body); },
        async libVerify(secret, body, h) { return ghVerify(secret, body, h["X-Hub-Signature-256"]); },
    },
    stripe: {
        lib: "stripe",
        secret: () => "whsec_" + randomSecret(),
        libSign(secret, body) {
            return { "Stripe-Signature": stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: now() }) };
        },
        bhSign(secret, body) { return bhSign("stripe", secret, body, ["--timestamp", String(now())]); },
        async libVerify(secret, body, h) {
            try { stripe.webhooks.signature.verifyHeader(body, h["Stripe-Signature"], secret, 300); return true; }
            catch { return false; }
        },
    },
    blue: {
        lib: "node-crypto",
        secret: randomSecret,
        libSign(secret, body) {
            return { "X-Signature": crypto.createHmac("sha256", secret).update(body, "utf8").digest("hex") };
        },
        bhSign(secret, body) { return bhSign("blue", secret, body); },
        async libVerify(secret, body, h) {
            const want = crypto.createHmac("sha256", secret).update(body, "utf8").digest();
            const got = Buffer.from(h["X-Signature"], "hex");
            return got.length === 32 && crypto.timingSafeEqual(want, got);
        },
    },
};

function report(name, failures, total) {
    if (failures.length) console.log(`FAIL ${name}: ${failures.length}/${total} failed; first: ${failures[0]}`);
    else console.log(`PASS ${name}`);
}

for (const [name, s] of Object.entries(schemes)) {
    const libToBh = [], bhToLib = [];
    let multibyte = 0;
    for (let i = 0; i < N; i++) {
        const secret = s.secret(), body = randomBody(i);
        if (Buffer.byteLength(body) !== body.length) multibyte++;
        try { // the library signs, bluehook verifies
            const h = await s.libSign(secret, body, i);
            let r = bhVerify(name, secret, h, body);
            if (r.status !== 0) libToBh.push(`body ${i}: exit ${r.status} ${r.stderr.trim()}`);
            r = bhVerify(name, secret, h, tamper(body));
            if (r.status !== 1) libToBh.push(`tampered body ${i}: exit ${r.status}`);
        } catch (e) {
            libToBh.push(`body ${i}: ${e.message}`);
        }
        try { // bluehook signs, the library verifies
            const b = s.bhSign(secret, body);
            if (!(await s.libVerify(secret, body, b))) bhToLib.push(`body ${i}: ${JSON.stringify(b)}`);
            if (await s.libVerify(secret, tamper(body), b)) bhToLib.push(`tampered body ${i} accepted`);
        } catch (e) {
            bhToLib.push(`body ${i}: ${e.message}`);
        }
    }
    if (multibyte < N / 2) libToBh.push(`only ${multibyte} bodies had multi-byte UTF-8`);
    report(`interop/${name}:${s.lib}-signs-bluehook-verifies`, libToBh, N);
    report(`interop/${name}:bluehook-signs-${s.lib}-verifies`, bhToLib, N);
}
