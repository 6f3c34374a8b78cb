// The credential-per-host table: which sources each host of a command is asked, in order, and the
// second gate of the Entra ID exchange (the host's challenge must name its own /oauth2/token).
import { challengesForOwnToken, isAcrLoginServer } from "../../../src/auth/azure/acr-provider";
import { resolveEntraSettings } from "../../../src/auth/azure/settings";
import type { Challenge } from "../../../src/auth/challenge";
import type { Credential, CredentialProvider } from "../../../src/auth/credential";
import {
  credentialProvider,
  credentialSources,
  type CredentialSource,
} from "../../../src/connect/credentials";
import type { ConnectionSettings, Side } from "../../../src/connect/settings";

const entra = resolveEntraSettings({ kind: "azure-cli" }, {});
const withEntra: ConnectionSettings = { entra };

describe("credentialSources: one table, every host of a command", () => {
  const cases: [string, string, ConnectionSettings, Side | undefined, CredentialSource[]][] = [
    ["no flags: the docker config only", "ghcr.io", {}, undefined, ["docker-config"]],
    [
      "-u/-p then the docker config",
      "ghcr.io",
      { username: "u", password: "p" },
      undefined,
      ["user", "docker-config"],
    ],
    ["Entra for an ACR login server", "myreg.azurecr.io", withEntra, undefined, ["entra", "docker-config"]],
    ["Entra for a China cloud ACR", "myreg.azurecr.cn", withEntra, undefined, ["entra", "docker-config"]],
    ["Entra for a US Government ACR", "myreg.azurecr.us", withEntra, undefined, ["entra", "docker-config"]],
    ["upper case is the same host", "MyReg.AzureCR.io", withEntra, undefined, ["entra", "docker-config"]],
    ["no Entra for GHCR", "ghcr.io", withEntra, undefined, ["docker-config"]],
    ["no Entra for Docker Hub", "registry-1.docker.io", withEntra, undefined, ["docker-config"]],
    ["no Entra for a look-alike", "myreg.azurecr.io.example.com", withEntra, undefined, ["docker-config"]],
    ["no Entra for the bare suffix", "azurecr.io", withEntra, undefined, ["docker-config"]],
    ["no Entra for an ACR name with a port", "myreg.azurecr.io:444", withEntra, undefined, ["docker-config"]],
    ["no Entra for a loopback registry", "127.0.0.1:5000", withEntra, undefined, ["docker-config"]],
    [
      "Entra for a host named with --azure-registry",
      "127.0.0.1:5000",
      { ...withEntra, azureRegistries: ["127.0.0.1:5000"] },
      undefined,
      ["entra", "docker-config"],
    ],
    [
      "--azure-registry names hosts, not suffixes",
      "other.example",
      { ...withEntra, azureRegistries: ["acr.example"] },
      undefined,
      ["docker-config"],
    ],
    [
      "--azure-registry without Entra settings sends nothing",
      "acr.example",
      { azureRegistries: ["acr.example"] },
      undefined,
      ["docker-config"],
    ],
    [
      "Entra, then -u/-p, on an ACR",
      "myreg.azurecr.io",
      { ...withEntra, username: "u", password: "p" },
      undefined,
      ["entra", "user", "docker-config"],
    ],
    [
      "copy ACR -> GHCR: the source side gets Entra",
      "myreg.azurecr.io",
      { ...withEntra, to: { username: "gh", password: "t" } },
      "from",
      ["entra", "docker-config"],
    ],
    [
      "copy ACR -> GHCR: the destination side gets its --to-* user, never Entra",
      "ghcr.io",
      { ...withEntra, to: { username: "gh", password: "t" } },
      "to",
      ["side-user", "docker-config"],
    ],
    [
      "a side's own user replaces -u/-p",
      "ghcr.io",
      { username: "u", password: "p", from: { username: "f", password: "q" } },
      "from",
      ["side-user", "docker-config"],
    ],
    [
      "a service connection answers for its own host",
      "reg.example:5000",
      {
        hostCredentials: [{ host: "http://reg.example:5000/", credential: { username: "s", password: "k" } }],
      },
      undefined,
      ["service-connection", "docker-config"],
    ],
    [
      "a service connection is not asked for another host",
      "other.example",
      { hostCredentials: [{ host: "reg.example:5000", credential: { username: "s", password: "k" } }] },
      undefined,
      ["docker-config"],
    ],
  ];
  test.each(cases)("%s", (_name, host, settings, side, expected) => {
    expect(credentialSources(host, settings, side)).toEqual(expected);
  });

  test("the table agrees with isAcrLoginServer on every host it was given", () => {
    for (const [, host, settings] of cases) {
      if (settings.entra && !settings.azureRegistries) {
        expect(credentialSources(host, settings).includes("entra")).toBe(isAcrLoginServer(host));
      }
    }
  });
});

describe("credentialProvider asks the sources the table names, and no other", () => {
  const acrChallenge: Challenge = {
    scheme: "bearer",
    params: { realm: "https://myreg.azurecr.io/oauth2/token", service: "myreg.azurecr.io" },
  };
  function parts(): { asked: string[]; entra: CredentialProvider; dockerConfig: () => CredentialProvider } {
    const asked: string[] = [];
    const entraAnswer: Credential = { username: "00000000-0000-0000-0000-000000000000", refreshToken: "rt" };
    return {
      asked,
      entra: async (host) => {
        asked.push(`entra:${host}`);
        return entraAnswer;
      },
      dockerConfig: () => async (host) => {
        asked.push(`docker:${host}`);
        return undefined;
      },
    };
  }

  test("GHCR in a command with Entra settings: Entra is never asked", async () => {
    const p = parts();
    const chain = credentialProvider("ghcr.io", withEntra, p);
    await expect(chain("ghcr.io", acrChallenge)).resolves.toBeUndefined();
    expect(p.asked).toEqual(["docker:ghcr.io"]);
  });

  test("an ACR login server: Entra answers first", async () => {
    const p = parts();
    const chain = credentialProvider("myreg.azurecr.io", withEntra, p);
    await expect(chain("myreg.azurecr.io", acrChallenge)).resolves.toMatchObject({ refreshToken: "rt" });
    expect(p.asked).toEqual(["entra:myreg.azurecr.io"]);
  });

  test("half a side user is an error naming the side's flags", () => {
    expect(() => credentialProvider("ghcr.io", { to: { username: "u" } }, parts(), "to")).toThrow(
      /--to-username and --to-password/,
    );
  });
});

describe("challengesForOwnToken: the exchange only answers ACR's own challenge", () => {
  const host = "myreg.azurecr.io";
  const origin = `https://${host}`;
  const bearer = (realm: string, service = host): Challenge => ({
    scheme: "bearer",
    params: { realm, service },
  });
  test.each<[string, Challenge | undefined, boolean]>([
    ["ACR's own realm", bearer("https://myreg.azurecr.io/oauth2/token"), true],
    ["its own realm with a trailing slash", bearer("https://myreg.azurecr.io/oauth2/token/"), true],
    ["no challenge at all", undefined, false],
    ["Basic (htpasswd)", { scheme: "basic", params: { realm: "Registry" } }, false],
    ["a realm on another host", bearer("https://auth.example/token"), false],
    ["another ACR's realm", bearer("https://other.azurecr.io/oauth2/token"), false],
    ["its own host over plain http", bearer("http://myreg.azurecr.io/oauth2/token"), false],
    ["its own host on another port", bearer("https://myreg.azurecr.io:444/oauth2/token"), false],
    ["another path on its own host", bearer("https://myreg.azurecr.io/token"), false],
    ["userinfo trick", bearer("https://myreg.azurecr.io@evil.example/oauth2/token"), false],
    ["no realm", { scheme: "bearer", params: { service: host } }, false],
    ["a realm that is no URL", bearer("not a url"), false],
  ])("%s", (_name, challenge, expected) => {
    expect(challengesForOwnToken(host, origin, challenge)).toBe(expected);
  });
});
