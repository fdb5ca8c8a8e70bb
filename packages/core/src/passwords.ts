// What Herald refuses as a console password. Long enough after trimming (ten spaces are not a
// password) and not one of the passwords every guessing list starts with.

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

// The 10-character-and-longer entries at the top of the public breach corpora (SecLists' and
// NCSC's "most common" lists), lower-cased: what a sprayer tries first.
const COMMON = new Set([
  "1234567890",
  "0987654321",
  "12345678910",
  "123456789a",
  "123456789q",
  "1234567890a",
  "123456789012",
  "1234512345",
  "1234554321",
  "1122334455",
  "1111111111",
  "0000000000",
  "qwertyuiop",
  "qwertyuiop123",
  "qwerty1234",
  "qwerty12345",
  "qwerty123456",
  "1234qwerty",
  "1q2w3e4r5t",
  "1q2w3e4r5t6y",
  "q1w2e3r4t5",
  "1qaz2wsx3edc",
  "zaq12wsxcde3",
  "1qazxsw23edc",
  "asdfghjkl1",
  "asdfghjkl;",
  "zxcvbnm123",
  "password12",
  "password123",
  "password1234",
  "password12345",
  "password!1",
  "password1!",
  "passw0rd123",
  "p@ssw0rd123",
  "p@ssword123",
  "iloveyou12",
  "iloveyou123",
  "welcome123",
  "welcome1234",
  "letmein123",
  "changeme123",
  "administrator",
  "admin12345",
  "admin123456",
  "abc1234567",
  "abcdefghij",
  "abcd123456",
  "princess123",
  "football123",
  "baseball123",
  "sunshine123",
  "superman123",
  "trustno1234",
  "monkey1234",
  "dragon1234",
  "master1234",
  "michael123",
  "starwars123",
  "whatever123",
  "qazwsxedcrfv",
]);

/** Why a password is refused, as a sentence for the form; undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  const trimmed = password.trim();
  if (trimmed.length < MIN_PASSWORD_LENGTH)
    return `must be at least ${MIN_PASSWORD_LENGTH} characters, not counting spaces at either end`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = trimmed.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1*$/.test(lower))
    return "is one of the most common passwords, which are tried first; choose another";
  return undefined;
}
