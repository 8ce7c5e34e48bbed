package org.tfmnist.serve;

/**
 * A request that fails: its HTTP status, the TensorFlow error code TF Serving would report (the
 * {@code status} label of the request counter) and a one-line message, sent as {@code {"error":
 * message}}.
 */
final class HttpError extends RuntimeException {

  private final int status;
  private final String code;

  HttpError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  /** TensorFlow's name of the error (INVALID_ARGUMENT, NOT_FOUND, ...). */
  String code() {
    return code;
  }

  static HttpError badRequest(String message) {
    return new HttpError(400, "INVALID_ARGUMENT", message);
  }

  static HttpError notFound(String message) {
    return new HttpError(404, "NOT_FOUND", message);
  }

  static HttpError tooLarge(String message) {
    return new HttpError(413, "RESOURCE_EXHAUSTED", message);
  }

  static HttpError unsupportedMediaType(String message) {
    return new HttpError(415, "INVALID_ARGUMENT", message);
  }

  static HttpError unavailable(String message) {
    return new HttpError(503, "UNAVAILABLE", message);
  }

  static HttpError deadline(String message) {
    return new HttpError(504, "DEADLINE_EXCEEDED", message);
  }

  static HttpError internal(String message) {
    return new HttpError(500, "INTERNAL", message);
  }
}
