package org.tfmnist.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tfmnist.util.ErrorReason;

/**
 * The small JSON files the tool writes and reads back (a training history, benchmark figures), read
 * as a map; whatever is wrong is a {@link BadInputException} that names the file in one line
 * (Jackson's own messages span lines and quote internals).
 *
 * <p>Internal: not part of the public API, kept out of the Javadoc site; it may change.
 */
public final class JsonFile {

  private JsonFile() {}

  /** {@code file}'s JSON object; {@code what} names what it should hold, for the error. */
  public static Map<String, Object> read(Path file, String what) {
    if (Files.isDirectory(file)) {
      throw BadInputException.of(file, "is a directory, not " + what);
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw BadInputException.of(file, "cannot read " + what + ": " + ErrorReason.of(e));
    }
    Map<String, Object> m;
    try {
      m = JSON.std.mapFrom(text);
    } catch (IOException e) {
      throw BadInputException.of(file, "not " + what + ": " + reason(e));
    }
    if (m == null) {
      throw BadInputException.of(file, "not " + what + ": the file is empty");
    }
    return m;
  }

  /** The file is JSON but not {@code what}: {@code missing} names the field that is not there. */
  public static BadInputException lacks(Path file, String what, String missing) {
    return BadInputException.of(file, "not " + what + " (no " + missing + ")");
  }

  /** Why JSON text could not be parsed, in one line: where it ends or goes wrong. */
  public static String reason(Exception e) {
    if (e instanceof JsonProcessingException j) {
      String m = j.getOriginalMessage() == null ? "" : j.getOriginalMessage();
      if (j instanceof JsonEOFException || m.startsWith("Unexpected end-of-input")) {
        return "the JSON is cut short" + where(j.getLocation());
      }
      // Jackson's message ends with where it read from (a redacted source) and a marker's place
      for (String tail : new String[] {" (start marker at", " at [Source", "\n"}) {
        int cut = m.indexOf(tail);
        m = cut >= 0 ? m.substring(0, cut) : m;
      }
      return "invalid JSON" + where(j.getLocation()) + " (" + m.strip() + ")";
    }
    return ErrorReason.of(e);
  }

  private static String where(JsonLocation l) {
    return l == null || l.getLineNr() < 1
        ? ""
        : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
  }
}
