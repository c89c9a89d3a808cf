/**
 * Fabric's signature-policy DSL converted to a `common.SignaturePolicyEnvelope` the way
 * common/policydsl/policyparser.go `FromString` does, so a policy in the channel description encodes
 * to the bytes configtxgen writes for the same text in configtx.yaml:
 *
 * - gates `AND`, `OR`, `OutOf` (each also all-lower and all-upper case); `AND(a…)` is
 *   `OutOf(len, a…)`, `OR(a…)` is `OutOf(1, a…)`, and `OutOf(t, …)` allows 0 ≤ t ≤ n + 1 (t = n + 1
 *   is never satisfied, on purpose: an org whose peer must never count);
 * - principals `'<MSP id>.<member|admin|client|peer|orderer>'`, not deduplicated, numbered in the
 *   order Fabric's evaluator appends them: a gate's nested gates first, then its own principals.
 */
import { common, msp } from '@hyperledger/fabric-protos';
import { FabricKitError } from '../errors';

type Token =
  | { readonly kind: 'name' | 'number' | 'string'; readonly text: string; readonly at: number }
  | { readonly kind: 'punct'; readonly text: '(' | ')' | ','; readonly at: number };

type Gate = { readonly threshold: number; readonly args: readonly Arg[] };
type Arg =
  | { readonly kind: 'principal'; readonly principal: msp.MSPPrincipal }
  | { readonly kind: 'gate'; readonly gate: Gate };

const GATES: Readonly<Record<string, 'and' | 'or' | 'outof'>> = {
  AND: 'and',
  And: 'and',
  and: 'and',
  OR: 'or',
  Or: 'or',
  or: 'or',
  OUTOF: 'outof',
  OutOf: 'outof',
  outof: 'outof',
};

const ROLES: Readonly<Record<string, msp.MSPRole.MSPRoleTypeMap[keyof msp.MSPRole.MSPRoleTypeMap]>> = {
  member: msp.MSPRole.MSPRoleType.MEMBER,
  admin: msp.MSPRole.MSPRoleType.ADMIN,
  client: msp.MSPRole.MSPRoleType.CLIENT,
  peer: msp.MSPRole.MSPRoleType.PEER,
  orderer: msp.MSPRole.MSPRoleType.ORDERER,
};

// policyparser.go: ^([[:alnum:].-]+)([.])(admin|member|client|peer|orderer)$ (greedy MSP id).
const PRINCIPAL = /^([A-Za-z0-9.-]+)\.(admin|member|client|peer|orderer)$/;

function syntax(policy: string, message: string): FabricKitError {
  return new FabricKitError('MALFORMED_CONFIG', `invalid signature policy rule '${policy}': ${message}`);
}

function tokenize(policy: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < policy.length) {
    const c = policy.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c, at: i });
      i++;
    } else if (c === "'" || c === '"') {
      let text = '';
      let j = i + 1;
      while (policy.charAt(j) !== c) {
        if (j >= policy.length) throw syntax(policy, `unterminated string at position ${i}`);
        if (policy.charAt(j) === '\\') j++;
        text += policy.charAt(j);
        j++;
      }
      tokens.push({ kind: 'string', text, at: i });
      i = j + 1;
    } else {
      const word = /^(?:[0-9]+|[A-Za-z_][A-Za-z0-9_]*)/.exec(policy.slice(i))?.[0];
      if (word === undefined) throw syntax(policy, `unexpected character '${c}' at position ${i}`);
      tokens.push({ kind: /^[0-9]/.test(word) ? 'number' : 'name', text: word, at: i });
      i += word.length;
    }
  }
  return tokens;
}

function rolePrincipal(policy: string, text: string): msp.MSPPrincipal {
  const match = PRINCIPAL.exec(text);
  const mspId = match?.[1];
  const role = ROLES[match?.[2] ?? ''];
  if (mspId === undefined || role === undefined) throw syntax(policy, `error parsing principal ${text}`);
  const mspRole = new msp.MSPRole();
  mspRole.setMspIdentifier(mspId);
  mspRole.setRole(role);
  const principal = new msp.MSPPrincipal();
  principal.setPrincipalClassification(msp.MSPPrincipal.Classification.ROLE);
  principal.setPrincipal(mspRole.serializeBinary());
  return principal;
}

function parse(policy: string): Gate {
  const tokens = tokenize(policy);
  let pos = 0;
  const next = (what: string): Token => {
    const token = tokens[pos++];
    if (token === undefined) throw syntax(policy, `unexpected end, expected ${what}`);
    return token;
  };
  const expect = (text: '(' | ',' | ')'): void => {
    const token = next(`'${text}'`);
    if (token.text !== text || token.kind !== 'punct')
      throw syntax(policy, `expected '${text}' at position ${token.at}`);
  };
  const gate = (): Gate => {
    const name = next('AND, OR or OutOf');
    const kind = name.kind === 'name' ? GATES[name.text] : undefined;
    if (kind === undefined) throw syntax(policy, `unrecognized token '${name.text}'`);
    expect('(');
    let threshold: number | undefined;
    if (kind === 'outof') {
      const t = next('a threshold');
      // Fabric takes the threshold bare or quoted.
      if ((t.kind !== 'number' && t.kind !== 'string') || !/^[0-9]+$/.test(t.text))
        throw syntax(policy, `OutOf needs an integer threshold at position ${t.at}`);
      threshold = Number(t.text);
      expect(',');
    }
    const args: Arg[] = [];
    for (;;) {
      const token = tokens[pos];
      if (token?.kind === 'string') {
        pos++;
        args.push({ kind: 'principal', principal: rolePrincipal(policy, token.text) });
      } else {
        args.push({ kind: 'gate', gate: gate() });
      }
      const sep = next("',' or ')'");
      if (sep.kind === 'punct' && sep.text === ')') break;
      if (sep.kind !== 'punct' || sep.text !== ',')
        throw syntax(policy, `expected ',' or ')' at position ${sep.at}`);
    }
    const n = args.length;
    const t = threshold ?? (kind === 'and' ? n : 1);
    if (t > n + 1) throw syntax(policy, `invalid t-out-of-n predicate, t ${t}, n ${n}`);
    return { threshold: t, args };
  };
  const top = gate();
  const rest = tokens[pos];
  if (rest !== undefined) throw syntax(policy, `unexpected '${rest.text}' at position ${rest.at}`);
  return top;
}

function signedBy(index: number): common.SignaturePolicy {
  const rule = new common.SignaturePolicy();
  rule.setSignedBy(index);
  return rule;
}

function nOutOf(n: number, rules: readonly common.SignaturePolicy[]): common.SignaturePolicy {
  const gate = new common.SignaturePolicy.NOutOf();
  gate.setN(n);
  gate.setRulesList([...rules]);
  const rule = new common.SignaturePolicy();
  rule.setNOutOf(gate);
  return rule;
}

function build(gate: Gate, identities: msp.MSPPrincipal[]): common.SignaturePolicy {
  // Fabric evaluates a gate's arguments (its nested gates) before the gate appends its own principals.
  const resolved = gate.args.map((arg): common.SignaturePolicy | msp.MSPPrincipal =>
    arg.kind === 'gate' ? build(arg.gate, identities) : arg.principal,
  );
  const rules = resolved.map((arg) => {
    if (arg instanceof common.SignaturePolicy) return arg;
    identities.push(arg);
    return signedBy(identities.length - 1);
  });
  return nOutOf(gate.threshold, rules);
}

/**
 * The envelope configtxgen writes for `policy` (policydsl `FromString`).
 * @throws FabricKitError `MALFORMED_CONFIG` when `policy` is not a signature policy.
 */
export function signaturePolicyEnvelope(policy: string): common.SignaturePolicyEnvelope {
  const identities: msp.MSPPrincipal[] = [];
  const rule = build(parse(policy), identities);
  const envelope = new common.SignaturePolicyEnvelope();
  envelope.setVersion(0);
  envelope.setRule(rule);
  envelope.setIdentitiesList(identities);
  return envelope;
}
