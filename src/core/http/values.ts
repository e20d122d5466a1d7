/** Rails' `blank?` for strings: nil, empty or whitespace only. */
export function isBlank(value: string | null | undefined): boolean {
  return value === undefined || value === null || value.trim() === '';
}

/** Devise's email_regexp: something@something, no whitespace. */
export function isEmail(value: string): boolean {
  return /^[^@\s]+@[^@\s]+$/.test(value) && value.length <= 255;
}
