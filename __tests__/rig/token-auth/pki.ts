// Test keys and certificates, made fresh per run with openssl: a CA and an HTTPS server certificate
// for the Entra stand-in, a self-signed certificate whose key signs the registry's tokens, and a
// client certificate for the certificate flow.
import { execFile } from "node:child_process";
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await execFileAsync("openssl", args, { cwd });
  } catch (err) {
    throw new Error(`openssl ${args[0]} failed (install openssl: scripts/peers/install.sh): ${String(err)}`);
  }
}

export interface KeyAndCert {
  key: KeyObject;
  keyPem: string;
  certPem: string;
  certFile: string;
  /** key + certificate in one PEM file (the form ClientCertificateCredential reads). */
  bundleFile: string;
  /** DER of the certificate, base64 (a JWT `x5c` entry). */
  certDerBase64: string;
  /** SHA-1 thumbprint, base64url (a JWT `x5t`). */
  x5t: string;
}

async function load(dir: string, name: string): Promise<KeyAndCert> {
  const keyPem = await readFile(path.join(dir, `${name}.key`), "utf8");
  const certPem = await readFile(path.join(dir, `${name}.crt`), "utf8");
  const bundleFile = path.join(dir, `${name}.pem`);
  await writeFile(bundleFile, keyPem + certPem, { mode: 0o600 });
  const der = new X509Certificate(certPem).raw;
  return {
    key: createPrivateKey(keyPem),
    keyPem,
    certPem,
    certFile: path.join(dir, `${name}.crt`),
    bundleFile,
    certDerBase64: der.toString("base64"),
    x5t: createHash("sha1").update(der).digest("base64url"),
  };
}

async function selfSigned(dir: string, name: string, subject: string): Promise<KeyAndCert> {
  await openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      subject,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.crt`,
    ],
    dir,
  );
  return load(dir, name);
}

export interface TestPki {
  /** CA the spawned CLI trusts through NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** The Entra stand-in's HTTPS certificate (127.0.0.1, localhost), signed by the CA. */
  server: KeyAndCert;
  /** Signs registry tokens; distribution's rootcertbundle. */
  registrySigner: KeyAndCert;
  /** An app's client certificate (certificate flow). */
  client: KeyAndCert;
}

export async function makePki(dir: string): Promise<TestPki> {
  const ca = await selfSigned(dir, "ca", "/CN=ocigraph test CA");
  await openssl(
    [
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      "/CN=127.0.0.1",
      "-keyout",
      "server.key",
      "-out",
      "server.csr",
    ],
    dir,
  );
  await writeFile(
    path.join(dir, "server.ext"),
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
  );
  await openssl(
    [
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      "server.ext",
      "-out",
      "server.crt",
    ],
    dir,
  );
  return {
    caFile: ca.certFile,
    server: await load(dir, "server"),
    registrySigner: await selfSigned(dir, "registry-signer", "/CN=ocigraph test token issuer"),
    client: await selfSigned(dir, "client", "/CN=ocigraph test app"),
  };
}
