// The React peer as a console team would write it by hand: React 19 + react-hook-form 7, uncontrolled inputs,
// each field subscribed to its own state only. Same sections, labels, ids, conditional fields (hidden, values
// kept), lists, rules, an error once a changed field is left and live from then on, an error summary and a submit
// as the console (English only; no draft, no warnings, no status polling, no language switch).

import { useState } from "react";
import { createRoot } from "react-dom/client";
import {
  FormProvider,
  useFieldArray,
  useForm,
  useFormContext,
  useFormState,
  useWatch,
} from "react-hook-form";
import { FIELDS, SECTIONS, applies, newClientToken } from "./catalogue.js";
import { check, get, tidyOss } from "./rules.js";
import { createWorkspace } from "./api.js";
import { Header, Result, Summary, domId } from "./chrome.jsx";

function fresh() {
  const values = {};
  for (const field of FIELDS) {
    const [a, b] = field.path.split(".");
    if (b) (values[a] ||= {})[b] = field.initial;
    else values[a] = field.initial;
  }
  values.clientToken = newClientToken();
  return values;
}

const validator = (path) => (_, values) => check(path, values) || true;

/**
 * The error to show at a position: as the console, once the value was changed and the field left, or after a
 * submit attempt. RHF validates on every change (mode onChange); this component re-renders only when this
 * position's error, touched or dirty state changes.
 */
function useMessage(path) {
  const { errors, touchedFields, dirtyFields, isSubmitted } = useFormState({ name: path });
  const error = get(errors, path);
  return error && (isSubmitted || (get(touchedFields, path) && get(dirtyFields, path))) ? error.message : null;
}

function Required({ field }) {
  return field.required && field.control !== "checkbox" ? (
    <span className="ws-field__required" title="required"> *</span>
  ) : null;
}

/** One scalar field: label, control, its error (once touched or submitted) and help. */
function Field({ field, hidden }) {
  const { register, setValue, getValues } = useFormContext();
  const message = useMessage(field.path);
  const { id } = field;
  const describedBy = (message ? `${id}-error ` : "") + `${id}-help`;
  const options = { validate: validator(field.path) };
  if (field.path === "ossBucket") {
    options.onBlur = () => {
      const tidied = tidyOss(getValues("ossBucket"));
      if (tidied) setValue("ossBucket", tidied, { shouldValidate: true });
    };
  }
  const reg = register(field.path, options);
  const common = {
    id,
    "aria-required": String(field.required),
    "aria-invalid": String(!!message),
    "aria-describedby": describedBy,
    ...reg,
  };
  let control;
  if (field.control === "select") {
    control = (
      <select className="ws-select" {...common}>
        {field.choices.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
      </select>
    );
  } else if (field.control === "checkbox") {
    control = <input type="checkbox" className="ws-checkbox" id={id} aria-describedby={describedBy} {...reg} />;
  } else {
    control = (
      <input type="text" className="ws-input" inputMode={field.control === "integer" ? "numeric" : "text"}
        autoComplete="off" spellCheck="false" placeholder={field.placeholder} {...common} />
    );
  }
  const label = (
    <label htmlFor={id} className="ws-field__label">{field.label}<Required field={field} /></label>
  );
  const checkbox = field.control === "checkbox";
  return (
    <div className={"ws-field" + (checkbox ? " ws-field--checkbox" : "") + (message ? " ws-field--invalid" : "")}
      data-path={field.path} hidden={hidden}>
      {checkbox ? (
        <div className="ws-field__check">{control}{label}</div>
      ) : (
        <>
          {label}
          <div className="ws-field__control">
            {control}
            {field.path === "clientToken" && (
              <button type="button" className="ws-button ws-button--secondary"
                onClick={() => setValue("clientToken", newClientToken(), { shouldValidate: true })}>
                New token
              </button>
            )}
          </div>
        </>
      )}
      {message && <p id={`${id}-error`} className="ws-field__error">{message}</p>}
      <p id={`${id}-help`} className="ws-field__help">{field.help}</p>
    </div>
  );
}

/** A subscription field: hidden, not unmounted, while it does not apply, so its value stays. */
function Conditional({ field }) {
  const [paymentType, autoRenew] = useWatch({ name: ["paymentType", "autoRenew"] });
  return <Field field={field} hidden={!applies(field, paymentType, autoRenew)} />;
}

/** One input of a list row, with its own error. */
function Cell({ path, rulePath, label, placeholder }) {
  const { register } = useFormContext();
  const message = useMessage(path);
  const id = domId(path);
  return (
    <div className={"ws-list__cell" + (message ? " ws-field--invalid" : "")}>
      <label htmlFor={id} className="ws-list__label">{label}</label>
      <input type="text" className="ws-input" id={id} autoComplete="off" spellCheck="false" placeholder={placeholder}
        aria-invalid={String(!!message)} aria-describedby={message ? `${id}-note` : undefined}
        {...register(path, { validate: validator(rulePath) })} />
      {message && <p id={`${id}-note`} className="ws-field__error">{message}</p>}
    </div>
  );
}

/** Tags and GPU instance types: rows added and removed with buttons, focus following. */
function ListField({ field }) {
  const { fields: rows, append, remove } = useFieldArray({ name: field.path });
  const spec = field.list;
  const full = spec.max !== undefined && rows.length >= spec.max;
  const strings = spec.parts.length === 1;
  const helpId = `${field.id}-help`;
  const onRemove = (i) => {
    remove(i);
    const left = rows.length - 1;
    requestAnimationFrame(() => {
      const target = left === 0 ? field.id : domId(`${field.path}.${Math.min(i, left - 1)}.${strings ? "value" : "key"}`);
      const el = document.getElementById(target);
      if (el) el.focus();
    });
  };
  const empty = strings ? { value: "" } : { key: "", value: "" };
  return (
    <fieldset className="ws-list" id={field.id} tabIndex={-1} aria-describedby={helpId}>
      <legend className="ws-field__label">
        {field.label}
        {spec.max !== undefined && <span className="ws-list__count"> ({rows.length}/{spec.max})</span>}
      </legend>
      <p id={helpId} className="ws-field__help">{field.help}</p>
      <p className="ws-list__empty" hidden={rows.length > 0}>{spec.empty}</p>
      <ol className="ws-list__rows">
        {rows.map((row, i) => (
          <li key={row.id} className={"ws-list__row" + (strings ? "" : " ws-list__row--pair")}>
            {spec.parts.map(([name, label, placeholder]) => {
              const path = `${field.path}.${i}.${strings ? "value" : name}`;
              return <Cell key={path} path={path} rulePath={strings ? path : `tag.${i}.${name}`}
                label={`${label} ${i + 1}`} placeholder={placeholder} />;
            })}
            <button type="button" className="ws-button ws-button--icon" aria-label={`${spec.remove} ${i + 1}`}
              onClick={() => onRemove(i)}>
              Remove
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="ws-button ws-button--secondary" disabled={full}
        onClick={() => append(empty, { shouldFocus: true })}>
        {spec.add}
      </button>
    </fieldset>
  );
}

function Section({ id, title }) {
  return (
    <section className="ws-section" aria-labelledby={`ws-section-${id}`} data-section={id}>
      <h2 className="ws-section__title" id={`ws-section-${id}`}>{title}</h2>
      <div className="ws-section__body">
        {FIELDS.filter((f) => f.section === id).map((field) =>
          field.control === "list" ? <ListField key={field.path} field={field} />
            : field.applies === "always" ? <Field key={field.path} field={field} />
              : <Conditional key={field.path} field={field} />)}
      </div>
    </section>
  );
}

/** The summary lists every error once a submit was tried, and follows the fixes live. */
function FormSummary({ submitted, failure, onRetry }) {
  const { errors } = useFormState();
  // RHF's errors, in form order; none until a submit was tried.
  const list = [];
  if (submitted) {
    for (const field of FIELDS) {
      if (field.path === "tag") {
        (errors.tag || []).forEach((row, i) => {
          for (const part of ["key", "value"]) if (row && row[part]) list.push([`tag.${i}.${part}`, row[part].message]);
        });
      } else {
        const error = get(errors, field.path);
        if (error && error.message) list.push([field.path, error.message]);
      }
    }
  }
  return <Summary errors={list} failure={failure} onRetry={onRetry} />;
}

function SubmitButton() {
  const { isSubmitting } = useFormState();
  return (
    <div className="ws-actions">
      <button type="submit" className={"ws-button ws-button--primary" + (isSubmitting ? " ws-button--busy" : "")}
        aria-disabled={String(isSubmitting)}>
        <span className="ws-spinner" aria-hidden="true" hidden={!isSubmitting}></span>
        {isSubmitting ? "Creating…" : "Create workspace"}
      </button>
    </div>
  );
}

function App() {
  const methods = useForm({ mode: "onChange", defaultValues: fresh() });
  const [submitted, setSubmitted] = useState(false);
  const [failure, setFailure] = useState(null);
  const [created, setCreated] = useState(null);

  const send = async (values) => {
    setFailure(null);
    const answer = await createWorkspace(values);
    if (answer.ok) setCreated({ result: answer.result, name: values.workspaceName, regionId: values.regionId });
    else {
      setFailure(answer.error);
      requestAnimationFrame(() => document.getElementById("ws-summary").focus());
    }
  };
  const onSubmit = methods.handleSubmit(send, () => {
    setSubmitted(true);
    setFailure(null);
  });
  const again = () => {
    methods.reset(fresh());
    setSubmitted(false);
    setFailure(null);
    setCreated(null);
    requestAnimationFrame(() => document.getElementById("ws-workspaceName").focus());
  };

  return (
    <div className="ws-console" lang="en">
      <Header />
      {created && <Result {...created} onAgain={again} />}
      <FormProvider {...methods}>
        <form className="ws-form" noValidate hidden={!!created} onSubmit={onSubmit}>
          <FormSummary submitted={submitted} failure={failure} onRetry={onSubmit} />
          {SECTIONS.map(([id, title]) => <Section key={id} id={id} title={title} />)}
          <SubmitButton />
        </form>
      </FormProvider>
    </div>
  );
}

createRoot(document.querySelector("[data-create-workspace]")).render(<App />);
