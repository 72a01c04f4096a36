// Guessing an import format from a file's name and content, to preselect it.

export function guessFormat(fileName: string, text: string): string | null {
  const head = text.slice(0, 4000);
  if (/"otmVersion"|^otmVersion:/m.test(head)) return 'otm';
  if (/AWSTemplateFormatVersion|"Resources"\s*:|^Resources:/m.test(head)) return 'cloudformation';
  if (/"format_version"|"terraform_version"|"resource_changes"/.test(head)) return 'terraform';
  if (/"summary"[\s\S]*"detail"[\s\S]*"diagrams"/.test(head)) return 'threatdragon';
  if (/"schema"\s*:\s*1[\s\S]*"threats"/.test(head) || /"applicationInfo"/.test(head)) return 'threatcomposer';
  if (/\.(ya?ml|template)$/i.test(fileName)) return 'cloudformation';
  return null;
}
