"use strict";
// Semenit letter verification page: checks a letter's QR (the part after "#") against the village's
// Ed25519 public key, in the browser, with no network call. Every text comes from the embedded config
// (the village's message catalog); nothing from the QR is ever inserted as HTML (textContent only).
(function () {
  const config = JSON.parse(document.getElementById("config").textContent);
  let lang = config.default_lang;
  let last = null;

  function t(key, params) {
    let text = (config.text[lang] || {})[key] || config.text.id[key] || key;
    for (const [name, value] of Object.entries(params || {})) text = text.split("{" + name + "}").join(String(value));
    return text;
  }
  const $ = (id) => document.getElementById(id);

  // --- base64url, strict (a non-canonical spelling is refused, as on the unit) -------------------------
  function b64uEncode(bytes) {
    let bin = "";
    for (const b of bytes) bin += String.fromCharCode(b);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function b64uDecode(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("base64");
    const padded = text + "===".slice(0, (4 - (text.length % 4)) % 4);
    const bin = atob(padded.replace(/-/g, "+").replace(/_/g, "/"));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    if (b64uEncode(out) !== text) throw new Error("non-canonical");
    return out;
  }

  // --- the payload: S2*code*number*YYYYMMDD*name*statements*digest*signature ----------------------------
  function parse(text) {
    text = text.trim();
    const hash = text.indexOf("#");
    if (hash >= 0) text = text.slice(hash + 1);
    if (!/^[\x21-\x7e]+$/.test(text)) return { error: "malformed" };
    const parts = text.split("*");
    if (parts.length !== 8 || parts[0] !== "S2") return { error: "malformed" };
    let fields;
    try {
      fields = parts.slice(1, 7).map((p) => decodeURIComponent(p.replace(/\+/g, " ")));
    } catch (e) {
      return { error: "malformed" };
    }
    const [code, number, day, name, statements, digest] = fields;
    const m = /^(\d{4})(\d{2})(\d{2})$/.exec(day);
    if (!m || !code || !number || !name || !/^[A-Za-z0-9_-]+$/.test(digest)) return { error: "malformed" };
    const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    if (date.getUTCFullYear() !== +m[1] || date.getUTCMonth() !== +m[2] - 1 || date.getUTCDate() !== +m[3]) {
      return { error: "malformed" };
    }
    const items = statements ? statements.split("; ").filter((s) => s) : [];
    let more = 0;
    if (items.length && /^\+[1-9][0-9]*$/.test(items[items.length - 1])) more = parseInt(items.pop().slice(1), 10);
    let signature;
    try {
      signature = b64uDecode(parts[7]);
    } catch (e) {
      return { error: "bad_signature" };
    }
    if (signature.length !== 64) return { error: "bad_signature" };
    const body = new TextEncoder().encode(text.slice(0, text.lastIndexOf("*")));
    return { code, number, date, name, statements: items, more, body, signature };
  }

  // --- Ed25519 (RFC 8032 §5.1.7), for browsers whose WebCrypto has no Ed25519 --------------------------
  // Written for this page: BigInt field arithmetic, extended coordinates, cofactorless check
  // [S]B == R + [k]A as the unit's library does. Verification only: no secret is ever handled here.
  const ed25519 = (function () {
    const P = 2n ** 255n - 19n;
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const mod = (a, m = P) => ((a % m) + m) % m;
    function pow(base, exp, m = P) {
      let result = 1n;
      base = mod(base, m);
      while (exp > 0n) {
        if (exp & 1n) result = (result * base) % m;
        base = (base * base) % m;
        exp >>= 1n;
      }
      return result;
    }
    const inv = (a) => pow(a, P - 2n);
    const D = mod(-121665n * inv(121666n));
    const SQRT_M1 = pow(2n, (P - 1n) / 4n);

    function leToInt(bytes) {
      let n = 0n;
      for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
      return n;
    }
    // Points as [X, Y, Z, T] with x = X/Z, y = Y/Z, xy = T/Z.
    function add(p, q) {
      const [X1, Y1, Z1, T1] = p;
      const [X2, Y2, Z2, T2] = q;
      const A = mod((Y1 - X1) * (Y2 - X2));
      const B = mod((Y1 + X1) * (Y2 + X2));
      const C = mod(2n * T1 * T2 * D);
      const DD = mod(2n * Z1 * Z2);
      const E = B - A, F = DD - C, G = DD + C, H = B + A;
      return [mod(E * F), mod(G * H), mod(F * G), mod(E * H)];
    }
    function multiply(point, scalar) {
      let result = [0n, 1n, 1n, 0n];
      let addend = point;
      while (scalar > 0n) {
        if (scalar & 1n) result = add(result, addend);
        addend = add(addend, addend);
        scalar >>= 1n;
      }
      return result;
    }
    function encode(point) {
      const [X, Y, Z] = point;
      const zi = inv(Z);
      const x = mod(X * zi), y = mod(Y * zi);
      const out = new Uint8Array(32);
      let n = y | ((x & 1n) << 255n);
      for (let i = 0; i < 32; i++) { out[i] = Number(n & 255n); n >>= 8n; }
      return out;
    }
    function decode(bytes) {
      if (bytes.length !== 32) return null;
      const n = leToInt(bytes);
      const sign = n >> 255n;
      const y = n & ((1n << 255n) - 1n);
      if (y >= P) return null;
      const u = mod(y * y - 1n), v = mod(D * y * y + 1n);
      let x = mod(u * pow(v, 3n) * pow(u * pow(v, 7n), (P - 5n) / 8n));
      const vx2 = mod(v * x * x);
      if (vx2 === mod(-u)) x = mod(x * SQRT_M1);
      else if (vx2 !== u) return null;
      if (x === 0n && sign === 1n) return null;
      if ((x & 1n) !== sign) x = P - x;
      return [x, y, 1n, mod(x * y)];
    }
    const BY = mod(4n * inv(5n));
    const BASE = (function () {
      const bytes = new Uint8Array(32);
      let n = BY;
      for (let i = 0; i < 32; i++) { bytes[i] = Number(n & 255n); n >>= 8n; }
      return decode(bytes);
    })();
    const equal = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

    async function verify(signature, message, publicKey) {
      if (signature.length !== 64 || publicKey.length !== 32) return false;
      const A = decode(publicKey), R = decode(signature.slice(0, 32));
      if (!A || !R) return false;
      const S = leToInt(signature.slice(32));
      if (S >= L) return false;
      const joined = new Uint8Array(64 + message.length);
      joined.set(signature.slice(0, 32), 0);
      joined.set(publicKey, 32);
      joined.set(message, 64);
      const k = mod(leToInt(await sha512(joined)), L);
      return equal(encode(multiply(BASE, S)), encode(add(R, multiply(A, k))));
    }
    return { verify };
  })();

  // SHA-512 (FIPS 180-4): WebCrypto's where the page runs in a secure context, else this one. Its round
  // constants are computed here (fractional parts of cube and square roots of the first primes).
  async function sha512(bytes) {
    if (window.crypto && crypto.subtle && !window.SEMENIT_PURE_JS) {
      return new Uint8Array(await crypto.subtle.digest("SHA-512", bytes));
    }
    return sha512js(bytes);
  }
  const SHA = (function () {
    const M64 = (1n << 64n) - 1n;
    function iroot(n, k) {
      let x = 1n << BigInt(Math.ceil(n.toString(2).length / k) + 1);
      for (;;) {
        const y = ((BigInt(k) - 1n) * x + n / x ** BigInt(k - 1)) / BigInt(k);
        if (y >= x) return x;
        x = y;
      }
    }
    const primes = [];
    for (let n = 2; primes.length < 80; n++) if (primes.every((p) => n % p)) primes.push(n);
    const K = primes.map((p) => iroot(BigInt(p) << 192n, 3) & M64);
    const H = primes.slice(0, 8).map((p) => iroot(BigInt(p) << 128n, 2) & M64);
    return { M64, K, H };
  })();
  function sha512js(bytes) {
    const { M64, K } = SHA;
    const rotr = (x, n) => ((x >> n) | (x << (64n - n))) & M64;
    const length = bytes.length;
    const total = Math.ceil((length + 17) / 128) * 128;
    const data = new Uint8Array(total);
    data.set(bytes);
    data[length] = 0x80;
    let bits = BigInt(length) * 8n;
    for (let i = total - 1; i >= total - 16; i--) { data[i] = Number(bits & 255n); bits >>= 8n; }
    const h = SHA.H.slice();
    const w = new Array(80);
    for (let off = 0; off < total; off += 128) {
      for (let i = 0; i < 16; i++) {
        let v = 0n;
        for (let j = 0; j < 8; j++) v = (v << 8n) | BigInt(data[off + i * 8 + j]);
        w[i] = v;
      }
      for (let i = 16; i < 80; i++) {
        const s0 = rotr(w[i - 15], 1n) ^ rotr(w[i - 15], 8n) ^ (w[i - 15] >> 7n);
        const s1 = rotr(w[i - 2], 19n) ^ rotr(w[i - 2], 61n) ^ (w[i - 2] >> 6n);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) & M64;
      }
      let [a, b, c, d, e, f, g, hh] = h;
      for (let i = 0; i < 80; i++) {
        const S1 = rotr(e, 14n) ^ rotr(e, 18n) ^ rotr(e, 41n);
        const ch = (e & f) ^ (~e & M64 & g);
        const t1 = (hh + S1 + ch + K[i] + w[i]) & M64;
        const S0 = rotr(a, 28n) ^ rotr(a, 34n) ^ rotr(a, 39n);
        const maj = (a & b) ^ (a & c) ^ (b & c);
        const t2 = (S0 + maj) & M64;
        hh = g; g = f; f = e; e = (d + t1) & M64; d = c; c = b; b = a; a = (t1 + t2) & M64;
      }
      [a, b, c, d, e, f, g, hh].forEach((v, i) => { h[i] = (h[i] + v) & M64; });
    }
    const out = new Uint8Array(64);
    h.forEach((v, i) => { for (let j = 7; j >= 0; j--) { out[i * 8 + j] = Number(v & 255n); v >>= 8n; } });
    return out;
  }

  async function signatureValid(body, signature) {
    const publicKey = b64uDecode(config.public_key);
    if (window.crypto && crypto.subtle && !window.SEMENIT_PURE_JS) {
      try {
        const key = await crypto.subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
        return await crypto.subtle.verify({ name: "Ed25519" }, key, signature, body);
      } catch (e) {
        // This browser's WebCrypto has no Ed25519: the page's own implementation below.
      }
    }
    return ed25519.verify(signature, body, publicKey);
  }

  // --- showing the result -------------------------------------------------------------------------------
  function fact(list, label, value) {
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.textContent = value;
    list.append(dt, dd);
  }
  function show(state, letter, reason) {
    last = { state, letter, reason };
    const result = $("result");
    result.dataset.state = state;
    result.dataset.reason = reason || "";
    const facts = $("facts");
    facts.replaceChildren();
    $("verdict").textContent = t("verdict." + state);
    $("explain").textContent = t(state === "refused" ? "reason." + reason : "explain." + state);
    $("compare").textContent = state === "genuine" ? t("compare") : "";
    if (state !== "genuine") return;
    const months = config.months[lang] || config.months.id;
    const d = letter.date;
    fact(facts, t("label.title"), (config.titles[lang] || config.titles.id)[letter.code] || letter.code);
    fact(facts, t("label.number"), letter.number);
    fact(facts, t("label.date"), d.getUTCDate() + " " + months[d.getUTCMonth()] + " " + d.getUTCFullYear());
    fact(facts, t("label.name"), letter.name);
    letter.statements.forEach((s) => fact(facts, t("label.statement"), s));
    if (letter.more) fact(facts, t("label.statement"), t("more", { count: letter.more }));
  }
  function paint() {
    document.documentElement.lang = lang;
    document.title = t("page.title");
    $("village").textContent = config.village;
    $("intro").textContent = t("page.intro");
    $("paste-label").textContent = t("paste.label");
    $("check").textContent = t("paste.button");
    $("lang").textContent = t("lang.switch");
    $("footer").textContent = t("page.footer", { fingerprint: config.fingerprint });
    if (last) show(last.state, last.letter, last.reason);
  }
  async function check(text) {
    if (!text.trim()) { show("empty"); return; }
    show("checking");
    const letter = parse(text);
    if (letter.error) { show("refused", null, letter.error); return; }
    let ok = false;
    try {
      ok = await signatureValid(letter.body, letter.signature);
    } catch (e) {
      ok = false;
    }
    if (ok) show("genuine", letter);
    else show("refused", null, "bad_signature");
  }

  $("check").addEventListener("click", () => check($("paste").value));
  $("lang").addEventListener("click", () => { lang = lang === "id" ? "en" : "id"; paint(); });
  window.addEventListener("hashchange", () => check(location.hash));
  paint();
  check(location.hash);
})();
