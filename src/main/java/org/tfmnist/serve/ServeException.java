package org.tfmnist.serve;

/**
 * A request the server refuses or fails, in the serving core's terms: the {@link Reason} and a
 * one-line message for the client. It knows nothing of HTTP: the batcher, the registry and the body
 * readers throw it, and {@link HttpStatus} alone turns its reason into a status, as TF Serving's
 * handlers return a {@code Status} that one switch maps to HTTP.
 */
final class ServeException extends RuntimeException {

  /**
   * Why a request failed, each with the TensorFlow error code TF Serving would report for it (the
   * {@code status} label of the request counter).
   */
  enum Reason {
    /** The request is malformed or names what the model does not have. */
    BAD_REQUEST("INVALID_ARGUMENT"),
    /** The body is in an encoding this server does not decode. */
    UNSUPPORTED_ENCODING("INVALID_ARGUMENT"),
    /** No such model, version or file. */
    NOT_FOUND("NOT_FOUND"),
    /** The request is larger than this server ever takes: a retry cannot pass. */
    TOO_LARGE("RESOURCE_EXHAUSTED"),
    /** The batching queue is full now: a retry may pass. */
    QUEUE_FULL("UNAVAILABLE"),
    /** The version is being unloaded: a retry finds its successor. */
    UNLOADING("UNAVAILABLE"),
    /** The bodies being read fill the server's memory budget now: a retry may pass. */
    BODIES_FULL("UNAVAILABLE"),
    /** The wait for a run was interrupted or cancelled. */
    INTERRUPTED("UNAVAILABLE"),
    /** The answer did not come within the request's deadline. */
    DEADLINE("DEADLINE_EXCEEDED"),
    /** The request's body did not arrive before the connection's idle timeout. */
    BODY_TIMEOUT("DEADLINE_EXCEEDED"),
    /** The path takes other methods. */
    METHOD_NOT_ALLOWED("UNIMPLEMENTED"),
    /** The server failed: a fault of its own or of the model, not of the request. */
    INTERNAL("INTERNAL");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    /** TensorFlow's name of the error (INVALID_ARGUMENT, NOT_FOUND, ...). */
    String code() {
      return code;
    }
  }

  private final Reason reason;

  ServeException(Reason reason, String message) {
    this(reason, message, null);
  }

  /**
   * {@code cause} is a fault the client must not see: the route layer logs it with a request id and
   * sends the client the message and that id.
   */
  ServeException(Reason reason, String message, Throwable cause) {
    super(message, cause, false, false);
    this.reason = reason;
  }

  Reason reason() {
    return reason;
  }

  /** TensorFlow's name of the error, as {@link Reason#code}. */
  String code() {
    return reason.code();
  }

  static ServeException badRequest(String message) {
    return new ServeException(Reason.BAD_REQUEST, message);
  }

  static ServeException notFound(String message) {
    return new ServeException(Reason.NOT_FOUND, message);
  }

  static ServeException tooLarge(String message) {
    return new ServeException(Reason.TOO_LARGE, message);
  }
}
