/** Commander option parsers that fail with a message naming the flag and the fix. */
import { InvalidArgumentError } from 'commander';

export function intOption(flag: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`${flag} must be a whole number from ${min} to ${max}; got "${value}".`);
    return n;
  };
}

export function numberOption(flag: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${flag} must be a number from ${min} to ${max}; got "${value}".`);
    return n;
  };
}

/** A number in range, or the word `auto` (the command then works the number out itself). */
export function numberOrAutoOption(flag: string, min: number, max: number) {
  return (value: string): number | 'auto' => {
    if (value.trim().toLowerCase() === 'auto') return 'auto';
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${flag} must be a number from ${min} to ${max} or auto; got "${value}".`);
    return n;
  };
}
