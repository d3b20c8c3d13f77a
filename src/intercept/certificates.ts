/**
 * The certificate authority of a run and the simulator's server certificate, so that an
 * integration that hard-codes `https://api.bigcommerce.com` (node-bigcommerce 4.1.0 and the other
 * published clients do) can talk to the simulator unchanged, trusting the CA through
 * NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE.
 *
 * Certificates are built with @peculiar/x509 on Node's own WebCrypto (no hand-written ASN.1);
 * keys are ECDSA P-256 (fast to generate, accepted by every TLS stack the integrations use).
 * A CA is made once per directory (`<runDir>/tls/ca.pem`, its key `ca-key.pem` 0600 in a 0700
 * folder) and reused when the directory already holds one, so a user can trust it once for a
 * run directory they keep; the server certificate is new on every start and lives in memory only.
 * See docs/decisions/0012-intercepting-unchanged-integrations.md.
 */
import { createPrivateKey, randomBytes, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isIP } from 'node:net';
import { makePrivateDir, writePrivateFile } from '../../lib/private-files.ts';

/** The platform's API and OAuth hosts (bigcommerce-facts.md: API base `https://api.bigcommerce.com/stores/{hash}`, OAuth at `https://login.bigcommerce.com`). */
export const PLATFORM_HOSTS = ['api.bigcommerce.com', 'login.bigcommerce.com'] as const;
/** The platform's domain: the proxy and the preload send every host under it to the simulator. */
export const PLATFORM_DOMAIN = 'bigcommerce.com';
/** Every name the simulator's HTTPS listener answers for (its certificate's subjectAltName). */
export const SERVED_NAMES = [...PLATFORM_HOSTS, 'localhost', '127.0.0.1', '::1'] as const;

export const CA_CERT_FILE = 'ca.pem';
export const CA_KEY_FILE = 'ca-key.pem';

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
  /** The CA certificate on disk: what NODE_EXTRA_CA_CERTS and the others point to. */
  certFile: string;
  /** Whether this start made it (false: read from the directory or from --ca). */
  created: boolean;
}

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
  names: readonly string[];
}

export class CertificateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CertificateError';
  }
}

const DAY_MS = 86_400_000;
const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;

type X509 = typeof import('@peculiar/x509');
let x509Module: Promise<X509> | undefined;

/**
 * @peculiar/x509 needs a Reflect metadata polyfill loaded before it (its README); loaded on
 * first use so that processes that never serve TLS carry neither.
 */
function loadX509(): Promise<X509> {
  x509Module ??= (async () => {
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto as never);
    return x509;
  })();
  return x509Module;
}

const serial = () => {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f; // a positive INTEGER, as RFC 5280 section 4.1.2.2 asks
  return bytes.toString('hex');
};

function pkcs8Pem(der: ArrayBuffer): string {
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The WebCrypto signing algorithm for a CA key given as PEM (ours is EC; a user's may be RSA). */
function signingAlgorithm(key: KeyObject, where: string): { importAlg: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams; signAlg: { name: string; hash: string } } {
  if (key.asymmetricKeyType === 'rsa') return { importAlg: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, signAlg: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } };
  if (key.asymmetricKeyType === 'ec') {
    const curve = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[String(key.asymmetricKeyDetails?.namedCurve)];
    if (curve) return { importAlg: { name: 'ECDSA', namedCurve: curve }, signAlg: { name: 'ECDSA', hash: curve === 'P-256' ? 'SHA-256' : 'SHA-384' } };
  }
  throw new CertificateError(`Failed to use the CA key ${where}: its type ${key.asymmetricKeyType}${key.asymmetricKeyDetails?.namedCurve ? ` (${key.asymmetricKeyDetails.namedCurve})` : ''} cannot sign here. Give an RSA or EC (P-256, P-384, P-521) CA key.`);
}

/** Make a new CA (key and self-signed certificate). */
export async function generateCa(now = new Date()): Promise<{ certPem: string; keyPem: string }> {
  const x509 = await loadX509();
  const keys = (await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=bc-harness run CA ${randomBytes(4).toString('hex')}, O=bc-harness (testing only; never trust it system-wide)`,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + 365 * DAY_MS),
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: pkcs8Pem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)) };
}

function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CertificateError(`Failed to read the ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Give --ca a directory holding ${CA_CERT_FILE} and ${CA_KEY_FILE}, a PEM file holding both, or CERT.pem,KEY.pem.`);
  }
}

/** Check that a certificate and key given by the user make a CA that can sign. */
function checkCa(certPem: string, keyPem: string, where: string): void {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (error) {
    throw new CertificateError(`Failed to read the CA certificate ${where}: ${(error as Error).message}. It must be a PEM "BEGIN CERTIFICATE" block.`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch (error) {
    throw new CertificateError(`Failed to read the CA key ${where}: ${(error as Error).message}. It must be an unencrypted PEM private key.`);
  }
  if (!cert.ca) throw new CertificateError(`Failed to use ${where} as a CA: the certificate "${cert.subject.replace(/\n/g, ', ')}" is not a CA (basicConstraints cA is not true). Give a CA certificate, or leave --ca out and the harness makes one.`);
  if (!cert.checkPrivateKey(key)) throw new CertificateError(`Failed to use ${where} as a CA: the key does not belong to the certificate. Give the CA's own key.`);
  if (new Date(cert.validTo).getTime() < Date.now()) throw new CertificateError(`Failed to use ${where} as a CA: it expired on ${cert.validTo}. Give a valid CA, or leave --ca out.`);
  signingAlgorithm(key, where);
}

/**
 * Where the user's CA lives: a directory with `ca.pem` and `ca-key.pem`, one PEM file holding the
 * certificate and the key, or `CERT,KEY`.
 */
export function readGivenCa(spec: string): CertificateAuthority {
  const parts = spec.split(',').map((p) => p.trim()).filter(Boolean);
  let certFile: string;
  let keyPem: string;
  let certPem: string;
  if (parts.length === 2) {
    certFile = resolve(parts[0]!);
    certPem = readPem(certFile, 'CA certificate');
    keyPem = readPem(resolve(parts[1]!), 'CA key');
  } else if (parts.length === 1 && existsSync(parts[0]!) && statSync(parts[0]!).isDirectory()) {
    certFile = resolve(parts[0]!, CA_CERT_FILE);
    certPem = readPem(certFile, 'CA certificate');
    keyPem = readPem(resolve(parts[0]!, CA_KEY_FILE), 'CA key');
  } else if (parts.length === 1) {
    certFile = resolve(parts[0]!);
    const both = readPem(certFile, 'CA file');
    certPem = both.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0] ?? '';
    keyPem = both.match(/-----BEGIN (?:EC |RSA )?PRIVATE KEY-----[\s\S]+?-----END (?:EC |RSA )?PRIVATE KEY-----/)?.[0] ?? '';
    if (!certPem || !keyPem) throw new CertificateError(`Failed to use --ca ${spec}: the file holds ${certPem ? 'no private key' : 'no certificate'}. Give a directory holding ${CA_CERT_FILE} and ${CA_KEY_FILE}, a PEM file holding both, or CERT.pem,KEY.pem.`);
  } else {
    throw new CertificateError(`Failed to use --ca ${spec}: give a directory holding ${CA_CERT_FILE} and ${CA_KEY_FILE}, a PEM file holding both, or CERT.pem,KEY.pem.`);
  }
  checkCa(certPem, keyPem, `--ca ${spec}`);
  return { certPem, keyPem, certFile, created: false };
}

/**
 * The CA of a directory (`<dir>/ca.pem` and `<dir>/ca-key.pem`): read when both are there,
 * otherwise made and written (the key 0600, a new directory 0700).
 */
export async function loadOrCreateCa(dir: string): Promise<CertificateAuthority> {
  const certFile = join(resolve(dir), CA_CERT_FILE);
  const keyFile = join(resolve(dir), CA_KEY_FILE);
  if (existsSync(certFile) && existsSync(keyFile)) {
    const certPem = readPem(certFile, 'CA certificate');
    const keyPem = readPem(keyFile, 'CA key');
    checkCa(certPem, keyPem, dir);
    return { certPem, keyPem, certFile, created: false };
  }
  const { certPem, keyPem } = await generateCa();
  makePrivateDir(resolve(dir));
  writePrivateFile(keyFile, keyPem);
  // The certificate is public, but it sits in a private folder anyway; 0600 keeps one rule.
  writePrivateFile(certFile, certPem);
  return { certPem, keyPem, certFile, created: true };
}

/** A server certificate for `names` (DNS names and IP addresses), signed by the CA. */
export async function issueServerCertificate(ca: Pick<CertificateAuthority, 'certPem' | 'keyPem'>, names: readonly string[] = SERVED_NAMES, now = new Date()): Promise<ServerCertificate> {
  const x509 = await loadX509();
  const caKey = createPrivateKey(ca.keyPem);
  const { importAlg, signAlg } = signingAlgorithm(caKey, 'of this run');
  const signingKey = await webcrypto.subtle.importKey('pkcs8', caKey.export({ type: 'pkcs8', format: 'der' }), importAlg, false, ['sign']);
  const issuer = new x509.X509Certificate(ca.certPem);
  const keys = (await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${names[0] ?? 'localhost'}`,
    issuer: issuer.subject,
    notBefore: new Date(now.getTime() - DAY_MS),
    // Short: it is made again on every start.
    notAfter: new Date(now.getTime() + 30 * DAY_MS),
    signingKey: signingKey as never,
    publicKey: keys.publicKey,
    signingAlgorithm: signAlg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((n) => (isIP(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n }))),
      await x509.AuthorityKeyIdentifierExtension.create(issuer, false),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: pkcs8Pem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), names };
}

/** A CA (from `--ca`, or the directory's own) and a fresh server certificate for the simulator. */
export async function prepareTls(options: { dir: string; ca?: string }): Promise<{ ca: CertificateAuthority; server: ServerCertificate }> {
  const ca = options.ca ? readGivenCa(options.ca) : await loadOrCreateCa(options.dir);
  return { ca, server: await issueServerCertificate(ca) };
}
