/** The [start, end) of the line holding `offset`, without its line ending (LF or CRLF). */
export const lineBounds = (text: string, offset: number): [number, number] => {
  const s = text.lastIndexOf('\n', offset - 1) + 1;
  let e = text.indexOf('\n', offset);
  if (e < 0) e = text.length;
  if (e > s && text.charCodeAt(e - 1) === 13) e--;
  return [s, e];
};
