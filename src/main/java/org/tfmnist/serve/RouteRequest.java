package org.tfmnist.serve;

/**
 * What a model route is given: its parsed path, the request's Content-Type (null when none) and its
 * body, already read whole, gzip-decoded and within the body limit. Nothing of the HTTP stack.
 */
record RouteRequest(Route route, String contentType, byte[] body) {}
