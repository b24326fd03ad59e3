// A throwaway certificate authority and server certificate for the sandbox's HTTPS listener
// (the Azure SDK pipeline refuses bearer tokens over plain HTTP). Generated at start-up with
// WebCrypto, ECDSA P-256, valid for 127.0.0.1 and localhost; the CA PEM is what clients trust
// (NODE_EXTRA_CA_CERTS, or a caFile in the profile).

import { webcrypto } from 'node:crypto';

export interface SandboxTls {
  /** The CA certificate clients should trust. */
  caPem: string;
  /** The server's certificate (signed by the CA) and its PKCS#8 private key. */
  certPem: string;
  keyPem: string;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

export async function createSandboxTls(hosts: { ips?: string[]; dns?: string[] } = {}): Promise<SandboxTls> {
  // @peculiar/x509 resolves its ASN.1 codecs through tsyringe, which needs the Reflect metadata API.
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  const crypto = webcrypto;
  x509.cryptoProvider.set(crypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 7 * 86_400_000);
  const caKeys = (await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=Guardian Sandbox CA, O=Guardian',
    keys: caKeys,
    notBefore,
    notAfter,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const serverKeys = (await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const names = [
    ...(hosts.ips ?? ['127.0.0.1']).map((value) => ({ type: 'ip' as const, value })),
    ...(hosts.dns ?? ['localhost']).map((value) => ({ type: 'dns' as const, value })),
  ];
  const server = await x509.X509CertificateGenerator.create({
    subject: 'CN=127.0.0.1',
    issuer: ca.subject,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    notBefore,
    notAfter,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', serverKeys.privateKey);
  const keyPem = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  return { caPem: ca.toString('pem'), certPem: server.toString('pem'), keyPem: keyPem.endsWith('\n') ? keyPem : `${keyPem}\n` };
}
