// Reads the credential scope out of an AWS Signature Version 4 Authorization header, which is
// how one sandbox endpoint tells EC2 from STS from S3 and knows the caller's account and region.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html

export interface SigV4Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/;

export function parseSigV4(authorization: string | undefined, query?: URLSearchParams): SigV4Scope | undefined {
  const source = authorization ?? (query?.get('X-Amz-Credential') ? `Credential=${query.get('X-Amz-Credential')}` : undefined);
  if (!source) return undefined;
  const match = CREDENTIAL.exec(source);
  if (!match) return undefined;
  return { accessKeyId: match[1], date: match[2], region: match[3], service: match[4] };
}
