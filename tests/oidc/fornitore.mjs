// A real OpenID Connect provider for the browser tests (npm oidc-provider, a certified
// implementation), on 127.0.0.1 and a free port. Used by tests/browser/test_accesso_oidc.py.
//
//   node tests/oidc/fornitore.mjs
//
// Prints one JSON line when it listens: {"issuer": ..., "client_id": ..., "client_secret": ...}.
// The app's port is known only once the app runs: the line "client <redirect_uri>" on stdin
// registers the test client with that redirect URI and starts answering (it answers "ok").
// Any login name typed in its (development) login form is an account whose e-mail is that name,
// verified. A line "sposta <seconds>" on stdin moves the provider's clock back by that many
// seconds (so a token can be issued "hours ago" without waiting); it answers "ok".
import { createInterface } from "node:readline";
import Provider from "oidc-provider";

// Our answers are the only lines on stdout: the provider's notices and warnings go to stderr.
const rispondi = (testo) => process.stdout.write(testo + "\n");
console.log = console.info = console.warn = console.error;

let spostamento = 0;
const adessoVero = Date.now;
Date.now = () => adessoVero() - spostamento * 1000;

const client = { client_id: "cittadelnoi-test", client_secret: "segreto-solo-per-i-test-0123456789abcdef" };
const configurazione = (redirectUri) => ({
  clients: [
    {
      ...client,
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [redirectUri], // st.logout() ends the provider's session too
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  conformIdTokenClaims: false, // the e-mail in the identity token, as Keycloak and Entra put it
  features: { devInteractions: { enabled: true } },
  // A day for everything: with the clock moved back 2 hours its cookies and tokens are still valid.
  ttl: { IdToken: 86400, AccessToken: 86400, Session: 86400, Grant: 86400, Interaction: 86400, AuthorizationCode: 86400 },
  cookies: { keys: ["chiave-solo-per-i-test"] },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, name: id };
      },
    };
  },
});

const server = (await import("node:http")).createServer();
let issuer = "";
server.listen(0, "127.0.0.1", () => {
  issuer = `http://127.0.0.1:${server.address().port}`;
  rispondi(JSON.stringify({ issuer, ...client }));
});

createInterface({ input: process.stdin }).on("line", (riga) => {
  const [comando, valore] = riga.trim().split(/\s+/);
  if (comando === "client" && !server.listenerCount("request")) {
    const provider = new Provider(issuer, configurazione(valore));
    // Its development pages link a web font from Google: dropped, the tests allow no outside request.
    provider.use(async (ctx, next) => {
      await next();
      if (typeof ctx.body === "string") ctx.body = ctx.body.replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);?/g, "");
    });
    server.on("request", provider.callback());
    rispondi("ok");
  } else if (comando === "sposta") {
    spostamento = Number(valore) || 0;
    rispondi("ok");
  }
});
