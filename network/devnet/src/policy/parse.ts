/**
 * The signature-policy DSL of Fabric (common/policydsl/policyparser.go `FromString`):
 * `AND(...)`, `OR(...)`, `OutOf(n, ...)` (each also all-lower and all-upper case) over principals
 * `'<MSP id>.<member|admin|client|peer|orderer>'`, in single or double quotes.
 *
 * Reproduced details: `AND(a…)` is `OutOf(len, a…)` and `OR(a…)` is `OutOf(1, a…)`; a gate needs at
 * least one argument; `OutOf(t, …)` allows 0 ≤ t ≤ n + 1; principals are not deduplicated; and the
 * principals are numbered in the order Fabric's evaluator appends them (a gate's nested gates first,
 * then its own principals), so the envelope bytes match the ones `peer lifecycle` would produce.
 * The threshold must be an integer, bare or quoted (Fabric also takes `1.0`; the devnet refuses it).
 */
import { PolicyError } from './errors.js';
import {
  PRINCIPAL_ROLES,
  type PrincipalRole,
  type RolePrincipal,
  type SignaturePolicy,
  type SignaturePolicyRule,
} from './types.js';
import { DevnetError } from '../errors';

type Token =
  | { readonly kind: 'ident'; readonly text: string; readonly at: number }
  | { readonly kind: 'number'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly text: string; readonly at: number }
  | { readonly kind: 'punct'; readonly text: '(' | ')' | ','; readonly at: number };

function syntax(message: string): PolicyError {
  return new PolicyError('POLICY_SYNTAX', message);
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c, at: i });
      i++;
    } else if (c === "'" || c === '"') {
      let text = '';
      let j = i + 1;
      for (;;) {
        const d = source.charAt(j);
        if (d === '') throw syntax(`unterminated string at position ${i}`);
        if (d === c) break;
        if (d === '\\') {
          const escaped = source.charAt(j + 1);
          if (escaped === '') throw syntax(`unterminated string at position ${i}`);
          text += escaped;
          j += 2;
        } else {
          text += d;
          j++;
        }
      }
      tokens.push({ kind: 'string', text, at: i });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const match = /^[0-9]+(\.[0-9]*)?/.exec(source.slice(i));
      const text = match?.[0] ?? c;
      tokens.push({ kind: 'number', text, at: i });
      i += text.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
      const text = match?.[0] ?? c;
      tokens.push({ kind: 'ident', text, at: i });
      i += text.length;
    } else {
      throw syntax(`unexpected character '${c}' at position ${i}`);
    }
  }
  return tokens;
}

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

// common/policydsl: ^([[:alnum:].-]+)([.])(admin|member|client|peer|orderer)$ — greedy, so
// 'Org.One.peer' is MSP 'Org.One'.
const PRINCIPAL = /^([A-Za-z0-9.-]+)\.(admin|member|client|peer|orderer)$/;

type Arg =
  | { readonly kind: 'principal'; readonly principal: RolePrincipal }
  | { readonly kind: 'gate'; readonly gate: Gate };

interface Gate {
  readonly threshold: number;
  readonly args: readonly Arg[];
}

function isRole(value: string): value is PrincipalRole {
  return (PRINCIPAL_ROLES as readonly string[]).includes(value);
}

class Parser {
  readonly #tokens: readonly Token[];
  #pos = 0;

  constructor(tokens: readonly Token[]) {
    this.#tokens = tokens;
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#pos];
  }

  #next(what: string): Token {
    const token = this.#tokens[this.#pos];
    if (token === undefined) throw syntax(`unexpected end of policy, expected ${what}`);
    this.#pos++;
    return token;
  }

  #expect(text: '(' | ')' | ','): void {
    const token = this.#next(`'${text}'`);
    if (token.kind !== 'punct' || token.text !== text)
      throw syntax(`expected '${text}' at position ${token.at}`);
  }

  parseTop(): Gate {
    const gate = this.#gate();
    const rest = this.#peek();
    if (rest !== undefined) throw syntax(`unexpected '${rest.text}' at position ${rest.at}`);
    return gate;
  }

  #gate(): Gate {
    const name = this.#next('AND, OR or OutOf');
    if (name.kind !== 'ident') throw syntax(`expected AND, OR or OutOf at position ${name.at}`);
    const kind = GATES[name.text];
    if (kind === undefined) throw syntax(`unrecognized token '${name.text}' in policy string`);
    this.#expect('(');
    let threshold: number | undefined;
    if (kind === 'outof') {
      const t = this.#next('a threshold');
      // Fabric also takes the threshold as a quoted integer ('1'), which stays harmless to accept.
      if ((t.kind !== 'number' && t.kind !== 'string') || !/^[0-9]+$/.test(t.text)) {
        throw syntax(`OutOf needs an integer threshold at position ${t.at}`);
      }
      threshold = Number(t.text);
      this.#expect(',');
    }
    const args: Arg[] = [];
    for (;;) {
      args.push(this.#arg());
      const sep = this.#next("',' or ')'");
      if (sep.kind === 'punct' && sep.text === ')') break;
      if (sep.kind !== 'punct' || sep.text !== ',') throw syntax(`expected ',' or ')' at position ${sep.at}`);
    }
    const n = args.length;
    const t = threshold ?? (kind === 'and' ? n : 1);
    if (t > n + 1) throw syntax(`invalid t-out-of-n predicate, t ${t}, n ${n}`);
    return { threshold: t, args };
  }

  #arg(): Arg {
    const token = this.#peek();
    if (token === undefined) throw syntax('unexpected end of policy, expected a principal or a gate');
    if (token.kind === 'string') {
      this.#pos++;
      const match = PRINCIPAL.exec(token.text);
      const mspId = match?.[1];
      const role = match?.[2];
      if (mspId === undefined || role === undefined || !isRole(role))
        throw syntax(`error parsing principal ${token.text}`);
      return { kind: 'principal', principal: { mspId, role } };
    }
    if (token.kind === 'ident') return { kind: 'gate', gate: this.#gate() };
    throw syntax(`unexpected '${token.text}' at position ${token.at}`);
  }
}

function build(gate: Gate, identities: RolePrincipal[]): SignaturePolicyRule {
  // Fabric evaluates nested gates (function arguments) before the gate itself appends its principals.
  const nested = gate.args.map((arg) => (arg.kind === 'gate' ? build(arg.gate, identities) : undefined));
  const rules = gate.args.map((arg, i): SignaturePolicyRule => {
    const inner = nested[i];
    if (inner !== undefined) return inner;
    if (arg.kind !== 'principal') throw new DevnetError('INTERNAL', 'unreachable: gate without a rule');
    identities.push(arg.principal);
    return { kind: 'signed-by', index: identities.length - 1 };
  });
  return { kind: 'n-out-of', n: gate.threshold, rules };
}

/**
 * Parses a signature-policy expression such as `AND('HospitalMSP.peer', 'LabMSP.peer')`.
 * @throws PolicyError `POLICY_SYNTAX` if the text is not a policy.
 */
export function parseSignaturePolicy(source: string): SignaturePolicy {
  const gate = new Parser(tokenize(source)).parseTop();
  const identities: RolePrincipal[] = [];
  const rule = build(gate, identities);
  return { identities, rule };
}

/** The policy written back in the DSL (principals inlined, AND/OR where the threshold says so). */
export function formatSignaturePolicy(policy: SignaturePolicy): string {
  const format = (rule: SignaturePolicyRule): string => {
    if (rule.kind === 'signed-by') {
      const p = policy.identities[rule.index];
      return p === undefined ? `<missing principal ${rule.index}>` : `'${p.mspId}.${p.role}'`;
    }
    const inner = rule.rules.map(format).join(', ');
    if (rule.n === rule.rules.length && rule.n > 1) return `AND(${inner})`;
    if (rule.n === 1) return `OR(${inner})`;
    return `OutOf(${rule.n}, ${inner})`;
  };
  return format(policy.rule);
}
