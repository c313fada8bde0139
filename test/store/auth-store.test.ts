import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuthStore, PluginDatabase } from "plugkit";
import { STORE_BACKENDS } from "../helpers/store-backends";

// plugkit's auth storage behaves the same on every database, races included: each race runs
// over two connections (two pools for PostgreSQL), as two server instances would.
describe.each(STORE_BACKENDS)("plugkit's auth store on $name", (backend) => {
  let a: AuthStore;
  let b: AuthStore;
  let first: PluginDatabase;
  const NOW = 1_800_000_000_000;

  beforeEach(async () => {
    await backend.setUp();
    first = await backend.open([]);
    a = first.auth;
    b = (await backend.open([])).auth;
  });
  afterEach(async () => {
    await backend.tearDown();
  });

  /** An account, a grant of it to a client, and its id. */
  async function grant(clientId = "client-1") {
    const account =
      (await a.findAccountByUsername("alice")) ?? (await a.createAccount("alice", "hash"));
    if (account === undefined) throw new Error("no account");
    const grantId = await a.createGrant({
      accountId: account.id,
      clientId,
      scope: "todos",
      resource: undefined,
      createdAt: NOW,
    });
    return { accountId: account.id, grantId };
  }

  const tokenPair = (grantId: number, n: string, refreshExpiresAt = NOW + 86400_000) => ({
    grantId,
    scope: "todos",
    accessTokenHash: `access-${n}`,
    accessTokenExpiresAt: NOW + 3600_000,
    refreshTokenHash: `refresh-${n}`,
    refreshTokenExpiresAt: refreshExpiresAt,
    createdAt: NOW,
  });

  describe("accounts", () => {
    it("finds usernames case-insensitively and refuses a second account differing only in case", async () => {
      const alice = await a.createAccount("Alice", "hash-1");
      expect(alice).toEqual({ id: expect.any(Number), username: "Alice" });
      expect(await b.createAccount("ALICE", "hash-2")).toBeUndefined();
      expect(await b.findAccountByUsername("aLiCe")).toEqual({
        id: alice?.id,
        username: "Alice",
        passwordHash: "hash-1",
      });
      // Case folding is ASCII's, as SQLite's NOCASE: the Kelvin sign is not a "k".
      await a.createAccount("kate", "hash");
      expect(await a.findAccountByUsername("\u212Aate")).toBeUndefined();
    });

    it("lists accounts by name ignoring case, changes passwords, and deletes with their tokens", async () => {
      for (const name of ["carol", "Bob", "alice"]) await a.createAccount(name, "h");
      expect((await b.listAccounts()).map((x) => x.username)).toEqual(["alice", "Bob", "carol"]);
      const bob = await a.findAccountByUsername("bob");
      if (bob === undefined) throw new Error("bob is missing");
      expect(await a.setPasswordHash(bob.id, "new")).toBe(true);
      expect((await b.findAccountByUsername("bob"))?.passwordHash).toBe("new");
      await a.createApiToken(bob.id, "token-hash", "laptop", NOW);
      expect(await a.deleteAccount(bob.id)).toBe(true);
      expect(await a.deleteAccount(bob.id)).toBe(false);
      expect(await a.useApiToken("token-hash", NOW)).toBeUndefined();
      expect(await a.setPasswordHash(bob.id, "x")).toBe(false);
    });
  });

  describe("API tokens", () => {
    it("finds a token's account, records its use at most once a minute, lists and revokes", async () => {
      const alice = await a.createAccount("alice", "h");
      if (alice === undefined) throw new Error("no account");
      const info = await a.createApiToken(alice.id, "hash-1", "laptop", NOW);
      expect(info).toEqual({
        id: expect.any(Number),
        label: "laptop",
        createdAt: NOW,
        lastUsedAt: undefined,
      });
      expect(await b.useApiToken("hash-1", NOW + 1000)).toEqual({
        id: alice.id,
        username: "alice",
      });
      await b.useApiToken("hash-1", NOW + 30_000);
      expect((await a.listApiTokens(alice.id))[0]?.lastUsedAt).toBe(NOW + 1000);
      await b.useApiToken("hash-1", NOW + 90_000);
      expect((await a.listApiTokens(alice.id))[0]?.lastUsedAt).toBe(NOW + 90_000);
      expect(await a.revokeApiToken(alice.id, info.id)).toBe(true);
      expect(await b.useApiToken("hash-1", NOW)).toBeUndefined();
      expect(await a.revokeApiToken(alice.id, info.id)).toBe(false);
    });
  });

  describe("OAuth", () => {
    it("stores registered clients with their redirect URIs", async () => {
      await a.saveOAuthClient({
        clientId: "mcp-1",
        clientName: "An MCP client",
        redirectUris: ["http://127.0.0.1/callback", "https://app.example/cb"],
        createdAt: NOW,
      });
      expect(await b.findOAuthClient("mcp-1")).toEqual({
        clientId: "mcp-1",
        clientName: "An MCP client",
        redirectUris: ["http://127.0.0.1/callback", "https://app.example/cb"],
        createdAt: NOW,
      });
      expect(await b.findOAuthClient("nobody")).toBeUndefined();
    });

    it("redeems a code exactly once among six simultaneous redemptions, and the replays end the grant", async () => {
      const { grantId, accountId } = await grant();
      await a.saveAuthorizationCode({
        codeHash: "code-1",
        grantId,
        redirectUri: "https://cb.example/",
        codeChallenge: "challenge",
        expiresAt: NOW + 60_000,
      });
      expect(await b.findAuthorizationCode("code-1")).toEqual({
        codeHash: "code-1",
        grantId,
        redirectUri: "https://cb.example/",
        codeChallenge: "challenge",
        expiresAt: NOW + 60_000,
        accountId,
        clientId: "client-1",
        scope: "todos",
        resource: undefined,
        used: false,
      });
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 === 0 ? a : b).redeemAuthorizationCode("code-1", NOW, tokenPair(grantId, `${i}`)),
        ),
      );
      // Exactly one redemption saved its token, in the same transaction that used the code up.
      expect(results.filter((r) => r === "redeemed")).toHaveLength(1);
      expect(results.filter((r) => r === "replayed")).toHaveLength(5);
      expect((await a.findAuthorizationCode("code-1"))?.used).toBe(true);
      // The replays ended the grant: the winner's token is revoked too (RFC 6749 §4.1.2).
      const winner = results.indexOf("redeemed");
      expect(await a.findOAuthTokenByAccessHash(`access-${winner}`)).toBeUndefined();
      expect(await a.saveOAuthToken(tokenPair(grantId, "late"))).toBe(false);
      expect(await a.redeemAuthorizationCode("never-issued", NOW)).toBe("unknown");
    });

    it("saves the token with the code, and uses a code up without one", async () => {
      const { grantId } = await grant();
      for (const codeHash of ["with-token", "checks-failed"]) {
        await a.saveAuthorizationCode({
          codeHash,
          grantId,
          redirectUri: "https://cb.example/",
          codeChallenge: undefined,
          expiresAt: NOW + 60_000,
        });
      }
      expect(await b.redeemAuthorizationCode("with-token", NOW, tokenPair(grantId, "1"))).toBe(
        "redeemed",
      );
      expect((await a.findOAuthTokenByAccessHash("access-1"))?.grantId).toBe(grantId);
      expect(await b.redeemAuthorizationCode("checks-failed", NOW)).toBe("redeemed");
      expect((await a.findAuthorizationCode("checks-failed"))?.used).toBe(true);
    });

    it("rotates a refresh token once among six simultaneous refreshes, and the reuse ends the grant", async () => {
      const { grantId } = await grant();
      expect(await a.saveOAuthToken(tokenPair(grantId, "1"))).toBe(true);
      expect((await b.findOAuthTokenByAccessHash("access-1"))?.account.username).toBe("alice");
      expect((await b.findOAuthTokenByRefreshHash("refresh-1"))?.rotated).toBe(false);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 === 0 ? a : b).rotateRefreshToken("refresh-1", NOW, tokenPair(grantId, `n${i}`)),
        ),
      );
      expect(results.filter((r) => r === "rotated")).toHaveLength(1);
      // The first reuse ends the grant and deletes its tokens; later ones may find nothing.
      expect(results.filter((r) => r === "reused").length).toBeGreaterThanOrEqual(1);
      expect(await a.findOAuthTokenByAccessHash("access-1")).toBeUndefined();
      expect(await a.findOAuthTokenByRefreshHash("refresh-1")).toBeUndefined();
      expect(await a.saveOAuthToken(tokenPair(grantId, "2"))).toBe(false);
      expect(await b.rotateRefreshToken("refresh-1", NOW)).toBe("unknown");
    });

    it("rotates one refresh token into the next", async () => {
      const { grantId } = await grant();
      await a.saveOAuthToken(tokenPair(grantId, "1"));
      expect(await b.rotateRefreshToken("refresh-1", NOW, tokenPair(grantId, "2"))).toBe("rotated");
      expect(await a.findOAuthTokenByAccessHash("access-1")).toBeUndefined();
      expect((await a.findOAuthTokenByRefreshHash("refresh-1"))?.rotated).toBe(true);
      expect((await a.findOAuthTokenByAccessHash("access-2"))?.grantId).toBe(grantId);
    });

    it("narrows a refreshed token's scope and keeps the grant's", async () => {
      const { grantId } = await grant();
      await a.saveOAuthToken({ ...tokenPair(grantId, "1"), scope: "todos:read" });
      const token = await b.findOAuthTokenByAccessHash("access-1");
      expect(token).toMatchObject({
        scope: "todos:read",
        grantScope: "todos",
        clientId: "client-1",
      });
    });

    it("revokes (RFC 7009) only tokens of the client asking: a refresh token its grant, an access token itself", async () => {
      const one = await grant("client-1");
      await a.saveOAuthToken(tokenPair(one.grantId, "1"));
      await b.revokeOAuthToken("refresh-1", "someone-else", NOW);
      await b.revokeOAuthToken("access-1", "someone-else", NOW);
      expect(await a.findOAuthTokenByAccessHash("access-1")).toBeDefined();

      await b.revokeOAuthToken("access-1", "client-1", NOW);
      const expired = await a.findOAuthTokenByAccessHash("access-1");
      expect(expired?.accessTokenExpiresAt).toBe(0);
      expect(await a.rotateRefreshToken("refresh-1", NOW)).toBe("rotated");

      const two = await grant("client-1");
      await a.saveOAuthToken(tokenPair(two.grantId, "2"));
      await b.revokeOAuthToken("refresh-2", "client-1", NOW);
      expect(await a.findOAuthTokenByAccessHash("access-2")).toBeUndefined();
      expect(await a.saveOAuthToken(tokenPair(two.grantId, "3"))).toBe(false);
    });

    it("lists live grants with their last issue, revokes one, and revokes all with the remembered browsers", async () => {
      const one = await grant();
      const two = await grant("client-2");
      await a.saveOAuthClient({
        clientId: "client-2",
        clientName: "Two",
        redirectUris: [],
        createdAt: NOW,
      });
      await a.saveOAuthToken({ ...tokenPair(one.grantId, "1"), createdAt: NOW + 5 });
      await a.saveOAuthToken(tokenPair(two.grantId, "2"));
      expect(await b.listGrants(one.accountId)).toEqual([
        {
          id: two.grantId,
          clientId: "client-2",
          clientName: "Two",
          scope: "todos",
          resource: undefined,
          createdAt: NOW,
          lastIssuedAt: NOW,
        },
        {
          id: one.grantId,
          clientId: "client-1",
          clientName: undefined,
          scope: "todos",
          resource: undefined,
          createdAt: NOW,
          lastIssuedAt: NOW + 5,
        },
      ]);
      expect(await b.revokeGrant(one.accountId, one.grantId, NOW)).toBe(true);
      expect(await b.revokeGrant(one.accountId, one.grantId, NOW)).toBe(false);
      expect(await a.findOAuthTokenByAccessHash("access-1")).toBeUndefined();

      await a.saveSignInDevice(one.accountId, "device-1", NOW);
      expect(await b.isSignInDevice(one.accountId, "device-1")).toBe(true);
      expect(await b.isSignInDevice(one.accountId + 1, "device-1")).toBe(false);
      expect(await b.revokeAllGrants(one.accountId, NOW)).toBe(1);
      expect(await a.findOAuthTokenByAccessHash("access-2")).toBeUndefined();
      expect(await a.isSignInDevice(one.accountId, "device-1")).toBe(false);
      expect(await a.listGrants(one.accountId)).toEqual([]);
    });

    it("cleans up expired codes and tokens but keeps a rotated token until its refresh would expire", async () => {
      const { grantId } = await grant();
      await a.saveAuthorizationCode({
        codeHash: "old-code",
        grantId,
        redirectUri: "https://cb.example/",
        codeChallenge: undefined,
        expiresAt: NOW - 1,
      });
      await a.saveOAuthToken({ ...tokenPair(grantId, "1"), accessTokenExpiresAt: NOW - 1 });
      await a.rotateRefreshToken("refresh-1", NOW);
      await a.saveOAuthToken(tokenPair(grantId, "2"));
      await b.deleteExpired(NOW, NOW - 900_000, NOW - 86400_000);
      expect(await a.redeemAuthorizationCode("old-code", NOW)).toBe("unknown");
      // The rotated pair is still known: reusing its refresh token is reuse, and ends the grant.
      expect(await a.rotateRefreshToken("refresh-1", NOW)).toBe("reused");

      await b.deleteExpired(NOW + 2 * 86400_000, NOW, NOW);
      expect(await a.rotateRefreshToken("refresh-1", NOW)).toBe("unknown");
    });
  });

  describe("throttle counters", () => {
    it("lets exactly `limit` of 20 simultaneous attempts through, across connections", async () => {
      const keys = [
        { key: "account:alice", limit: 5 },
        { key: "address:192.0.2.1", limit: 50 },
      ];
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? a : b).takeThrottleAttempt(keys, NOW, NOW - 60_000),
        ),
      );
      const allowed = results.flatMap((r) => (r.allowed ? [r.eventIds] : []));
      expect(allowed).toHaveLength(5);
      expect(results.flatMap((r) => (r.allowed ? [] : [r.oldest]))).toEqual(Array(15).fill(NOW));

      // A sign-in that succeeds takes its events back; clearing a key forgets it.
      await a.forgetThrottleEvents(allowed[0] ?? []);
      expect((await b.takeThrottleAttempt(keys, NOW, NOW - 60_000)).allowed).toBe(true);
      expect((await b.takeThrottleAttempt(keys, NOW, NOW - 60_000)).allowed).toBe(false);
      await a.clearThrottleEvents("account:alice");
      expect((await b.takeThrottleAttempt(keys, NOW, NOW - 60_000)).allowed).toBe(true);
      // Old events fall out of the window.
      expect(
        (
          await b.takeThrottleAttempt(
            [{ key: "account:alice", limit: 1 }],
            NOW + 120_000,
            NOW + 60_000,
          )
        ).allowed,
      ).toBe(true);
    });
  });
});
