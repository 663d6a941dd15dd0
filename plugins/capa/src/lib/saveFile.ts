/**
 * Hands text to the browser as a file download. The content is in memory already (the kubeconfig
 * came through the fetch API with the user's token), so a blob URL is used rather than a link to the
 * backend, which the browser would fetch without that token.
 */
export function saveFile(
  filename: string,
  content: string,
  type = 'application/yaml',
): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    link.style.display = 'none';
    document.body.appendChild(link);
    link.click();
    link.remove();
  } finally {
    URL.revokeObjectURL(url);
  }
}
