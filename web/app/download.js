// Saves a Blob as a file through a temporary link (no request leaves the page).
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const extensions = { jpeg: 'jpg', png: 'png', webp: 'webp' };

/** "holiday.jpeg" -> "holiday-defocus.webp" */
export function outputName(inputName, format, suffix = 'defocus') {
  const stem = (inputName || 'photo').replace(/\.[^.]*$/, '');
  return `${stem}-${suffix}.${extensions[format]}`;
}
