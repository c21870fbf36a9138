import type { Child } from 'hono/jsx';
import { describerFor, FieldError, type FieldProblem } from './form-errors.js';

interface FieldBase {
  name: string;
  label: Child;
  problems: readonly FieldProblem[];
  /** Said under the label, before any error (GOV.UK's hint). */
  hint?: Child;
}

/** A hint's id is the field's name and "Help": the field names it after any error. */
function LabelHintError(p: FieldBase) {
  return (
    <>
      <label for={p.name}>{p.label}</label>
      {p.hint !== undefined && (
        <p id={`${p.name}Help`} class="muted">
          {p.hint}
        </p>
      )}
      <FieldError field={p.name} problems={p.problems} />
    </>
  );
}

const describedBy = (p: FieldBase) => describerFor(p.problems)(p.name, p.hint !== undefined ? `${p.name}Help` : undefined);

/**
 * One text input as every form writes it: label, hint, the error beside it, and the input that
 * names both; what was typed stays in it.
 */
export function TextField(
  p: FieldBase & {
    value: string;
    type?: string;
    inputmode?: 'numeric' | 'decimal' | 'tel' | 'email';
    autocomplete?: string;
    maxlength?: number;
    placeholder?: string;
    /** A width for what fits in it: `short` (a postcode), `width-4` (a few digits). */
    width?: 'short' | 'width-4';
  },
) {
  return (
    <>
      <LabelHintError {...p} />
      <input
        id={p.name}
        name={p.name}
        class={p.width}
        type={p.type}
        inputmode={p.inputmode}
        autocomplete={p.autocomplete}
        maxlength={p.maxlength}
        placeholder={p.placeholder}
        value={p.value}
        aria-describedby={describedBy(p)}
      />
    </>
  );
}

/** Several lines of text, with its label, hint and error. */
export function TextAreaField(p: FieldBase & { value: string; rows: number; maxlength?: number }) {
  return (
    <>
      <LabelHintError {...p} />
      <textarea id={p.name} name={p.name} rows={p.rows} maxlength={p.maxlength} aria-describedby={describedBy(p)}>
        {p.value}
      </textarea>
    </>
  );
}

/** A choice from a list: each option as [value, what a person reads]. */
export function SelectField(p: FieldBase & { value: string; options: readonly (readonly [string, string])[] }) {
  return (
    <>
      <LabelHintError {...p} />
      <select id={p.name} name={p.name} aria-describedby={describedBy(p)}>
        {p.options.map(([value, words]) => (
          <option value={value} selected={p.value === value}>
            {words}
          </option>
        ))}
      </select>
    </>
  );
}

/** A yes that is ticked or not: posts "yes" when ticked. */
export function Tick(p: { name: string; checked: boolean; id?: string; children: Child }) {
  return (
    <label class="check">
      <input type="checkbox" id={p.id} name={p.name} value="yes" checked={p.checked} /> {p.children}
    </label>
  );
}

/**
 * GOV.UK radios: a fieldset with its question as the legend, the first radio carrying the id the
 * error summary links to (`name-firstvalue`); an option's hint follows its label.
 */
export function Radios(p: {
  name: string;
  legend: Child;
  options: readonly (readonly [value: string, label: Child, hint?: string])[];
  chosen: string;
  problems: readonly FieldProblem[];
}) {
  const first = `${p.name}-${p.options[0]![0]}`;
  const failed = p.problems.some((x) => x.field === first);
  return (
    <fieldset aria-describedby={failed ? `${first}-error` : undefined}>
      <legend>{p.legend}</legend>
      <FieldError field={first} problems={p.problems} />
      {p.options.map(([value, label, hint]) => (
        <label class="check">
          <input type="radio" id={`${p.name}-${value}`} name={p.name} value={value} checked={p.chosen === value} /> {label}
          {hint && <span class="muted"> — {hint}</span>}
        </label>
      ))}
    </fieldset>
  );
}
