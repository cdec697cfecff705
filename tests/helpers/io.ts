/** A command's output captured: an `Io` whose stdout and stderr collect what the command writes. */
export function captureIo() {
  const out = { stdout: "", stderr: "" };
  const stream = (key: "stdout" | "stderr") => ({
    write: (s: string) => {
      out[key] += s;
      return true;
    },
    isTTY: false,
  });
  return { io: { stdout: stream("stdout"), stderr: stream("stderr") }, out };
}
