package org.tfmnist.serve;

import java.util.UUID;

/**
 * {@code X-Request-Id}: a client's id is kept when it is one a log line can hold (printable ASCII,
 * at most 128 characters), so that a request can be followed from a proxy or a client's own log
 * into this server's; anything else, or none, is replaced by a new UUID. Every response carries it,
 * the access log records it, and a 500 names it.
 */
final class RequestIds {

  static final String HEADER = "X-Request-Id";

  static final int MAX_LENGTH = 128;

  private RequestIds() {}

  /** The client's id when it is usable, else a new one. */
  static String of(String sent) {
    return usable(sent) ? sent : UUID.randomUUID().toString();
  }

  static boolean usable(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
