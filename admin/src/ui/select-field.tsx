/**
 * A labelled filter select whose first option ("Any", "All sites") removes the filter: the
 * transcript list and the overview filter on the same dimensions with the same control.
 */
export interface SelectOption {
  value: string;
  label: string;
}

interface Props {
  label: string;
  value: string | undefined;
  /** the empty option's text; its choice reports undefined */
  anyLabel: string;
  options: readonly SelectOption[];
  onChange: (value: string | undefined) => void;
}

export function SelectField({ label, value, anyLabel, options, onChange }: Props) {
  return (
    <label class="field compact">
      <span>{label}</span>
      <select value={value ?? ''} onChange={(e) => onChange(e.currentTarget.value === '' ? undefined : e.currentTarget.value)}>
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** where feedback came from: the widget or an ingest channel */
export const SOURCE_OPTIONS: readonly SelectOption[] = ['widget', 'api', 'import', 'feed', 'webhook'].map((s) => ({ value: s, label: s }));

/** the languages the analysis reads */
export const LANGUAGE_OPTIONS: readonly SelectOption[] = [
  { value: 'en', label: 'English' },
  { value: 'de', label: 'German' },
  { value: 'fr', label: 'French' },
  { value: 'es', label: 'Spanish' },
];

export const optionsOf = (values: readonly string[]): SelectOption[] => values.map((v) => ({ value: v, label: v }));
