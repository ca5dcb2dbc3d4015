export async function main(argv: string[]): Promise<number> {
  console.log('hello', argv, 10n ** 3n);
  return 0;
}
