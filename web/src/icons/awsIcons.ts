// AWS Architecture Icons from the npm `aws-icons` package, used unmodified
// as AWS's terms require. The catalog names an icon by its path inside the
// package without extension, e.g. "architecture-service/AmazonEC2". Each SVG
// is emitted as its own asset file; only the map of URLs is in the bundle.
const urls = import.meta.glob('../../node_modules/aws-icons/icons/*/*.svg', {
  eager: true,
  query: '?url',
  import: 'default',
}) as Record<string, string>;

const byName = new Map<string, string>();
for (const [path, url] of Object.entries(urls)) {
  const m = path.match(/icons\/([^/]+\/[^/]+)\.svg$/);
  if (m) byName.set(m[1], url);
}

/** awsIconUrl returns the URL of an aws-icons SVG, or undefined if the package has no such icon. */
export function awsIconUrl(icon: string): string | undefined {
  return byName.get(icon.replace(/\.svg$/, ''));
}
