/**
 * The signature-policy DSL of Fabric (common/policydsl/policyparser.go `FromString`):
 * `AND(...)`, `OR(...)`, `OutOf(n, ...)` (each also all-lower and all-upper case) over principals
 * `'<MSP id>.<member|admin|client|peer|orderer>'`, in single or double quotes.
 *
 * Reproduced details: `AND(a…)` is `OutOf(len, a…)` and `OR(a…)` is `OutOf(1, a…)`; a gate needs at
 * least one argument besides its threshold; a trailing comma is allowed; `OutOf(t, …)` allows
 * 0 ≤ t ≤ n + 1 (t = n + 1 is a valid rule that is never satisfied, secondPass); principals are not
 * deduplicated; and the principals are numbered in the order Fabric's evaluator appends them (a gate's
 * nested gates first, then its own principals), so the envelope bytes match the ones `peer lifecycle`
 * would produce. The two refusals a well-formed text can meet, too few arguments and a threshold out
 * of range, carry Fabric's message verbatim, with the position and snippet expr-lang appends to it.
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
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(source.charAt(i + 1)))) {
      // A negative threshold parses, so that it meets Fabric's range check rather than a syntax error.
      const match = /^-?[0-9]+(\.[0-9]*)?/.exec(source.slice(i));
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
  /** Where the gate's name starts in the source. */
  readonly at: number;
  readonly threshold: number;
  readonly args: readonly Arg[];
}

function isRole(value: string): value is PrincipalRole {
  return (PRINCIPAL_ROLES as readonly string[]).includes(value);
}

/**
 * `message` as expr-lang reports an error at rune `from` of `source` (vendor/github.com/expr-lang/expr
 * file/error.go `Bind` and `format`): ` (line:column)` and the line with a caret under the column.
 */
function exprError(message: string, source: string, from: number): PolicyError {
  const runes = Array.from(source);
  let line = 1;
  let column = 0;
  let lineStart = 0;
  for (let i = 0; i < runes.length && i < from; i++) {
    if (runes[i] === '\n') {
      line++;
      column = 0;
      lineStart = i + 1;
    } else {
      column++;
    }
  }
  const newline = runes.indexOf('\n', lineStart);
  const lineText = runes.slice(lineStart, newline < 0 ? runes.length : newline).join('');
  if (lineText === '') return syntax(message);
  const snippet = `\n | ${lineText.replaceAll('\t', ' ')}\n | ${'.'.repeat(column)}^`;
  return syntax(`${message} (${line}:${column + 1})${snippet}`);
}

class Parser {
  readonly #source: string;
  readonly #tokens: readonly Token[];
  #pos = 0;

  constructor(source: string) {
    this.#source = source;
    this.#tokens = tokenize(source);
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

  /** Consumes `text` if it is the next token. */
  #take(text: '(' | ')' | ','): boolean {
    const token = this.#peek();
    if (token?.kind !== 'punct' || token.text !== text) return false;
    this.#pos++;
    return true;
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
    const args: Arg[] = [];
    // expr-lang's call syntax: comma-separated, a trailing comma allowed.
    for (let first = true; !this.#take(')'); first = false) {
      if (!first) {
        this.#expect(',');
        if (this.#take(')')) break;
      }
      if (kind === 'outof' && threshold === undefined) threshold = this.#threshold();
      else args.push(this.#arg());
    }
    // policyparser.go `outof` counts the threshold among its arguments (and/or pass theirs).
    const given = (kind !== 'outof' || threshold !== undefined ? 1 : 0) + args.length;
    if (given < 2) {
      const rune = Array.from(this.#source.slice(0, name.at)).length;
      throw exprError(`expected at least two arguments to NOutOf. Given ${given}`, this.#source, rune);
    }
    return { at: name.at, threshold: threshold ?? (kind === 'and' ? args.length : 1), args };
  }

  #threshold(): number {
    const t = this.#next('a threshold');
    // Fabric also takes the threshold as a quoted integer ('1'), which stays harmless to accept.
    if ((t.kind !== 'number' && t.kind !== 'string') || !/^-?[0-9]+$/.test(t.text)) {
      throw syntax(`OutOf needs an integer threshold at position ${t.at}`);
    }
    return Number(t.text);
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

/**
 * Fabric checks thresholds in its last pass, over the text its first passes rewrote every gate into
 * (`outof(ID, t, 'M.role', …)`), innermost gate first; its error points into that text.
 */
function checkThresholds(top: Gate): void {
  let failure: { readonly message: string; readonly at: number } | undefined;
  const render = (gate: Gate, at: number): string => {
    let text = `outof(ID, ${gate.threshold}`;
    for (const arg of gate.args) {
      text += ', ';
      text +=
        arg.kind === 'gate'
          ? render(arg.gate, at + text.length)
          : `'${arg.principal.mspId}.${arg.principal.role}'`;
    }
    const n = gate.args.length;
    if (failure === undefined && (gate.threshold < 0 || gate.threshold > n + 1))
      failure = { message: `invalid t-out-of-n predicate, t ${gate.threshold}, n ${n}`, at };
    return `${text})`;
  };
  const text = render(top, 0);
  if (failure !== undefined) throw exprError(failure.message, text, failure.at);
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
 * Parses a signature-policy expression such as `AND('Org1MSP.peer', 'Org2MSP.peer')`.
 * @throws PolicyError `POLICY_SYNTAX` if the text is not a policy.
 */
export function parseSignaturePolicy(source: string): SignaturePolicy {
  const gate = new Parser(source).parseTop();
  checkThresholds(gate);
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
