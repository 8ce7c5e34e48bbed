package org.tfmnist.serve;

/**
 * The one place a failure becomes an HTTP status, as TF Serving's {@code ToHTTPStatusCode}
 * (model_servers/http_server.cc) maps a {@code Status} code. TF Serving maps by code alone; this
 * server maps by {@link ServeException.Reason}, which tells apart what shares a code (a body too
 * large, 413, from a full queue, 503; a bad encoding, 415, from a bad body, 400).
 */
final class HttpStatus {

  private HttpStatus() {}

  static int of(ServeException.Reason reason) {
    return switch (reason) {
      case BAD_REQUEST -> 400;
      case NOT_FOUND -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      case BODY_TIMEOUT -> 408;
      case TOO_LARGE -> 413;
      case UNSUPPORTED_ENCODING -> 415;
      case INTERNAL -> 500;
      case QUEUE_FULL, UNLOADING, BODIES_FULL, INTERRUPTED -> 503;
      case DEADLINE -> 504;
    };
  }
}
