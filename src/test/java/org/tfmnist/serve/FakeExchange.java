package org.tfmnist.serve;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP exchange in memory: a request (method, path, headers, body) and what was answered
 * (status, headers, body), so routing and body reading are tested without a socket.
 */
class FakeExchange extends HttpExchange {

  private final String method;
  private final URI uri;
  private final Headers requestHeaders = new Headers();
  private final Headers responseHeaders = new Headers();
  private InputStream in;
  private OutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream sent = (ByteArrayOutputStream) out;
  private int status = -1;
  private long declaredLength;
  boolean closed;

  /** {@code headers} are name, value pairs. */
  FakeExchange(String method, String path, byte[] body, String... headers) {
    this.method = method;
    this.uri = URI.create(path);
    this.in = new ByteArrayInputStream(body);
    for (int i = 0; i < headers.length; i += 2) {
      requestHeaders.add(headers[i], headers[i + 1]);
    }
  }

  FakeExchange(String method, String path) {
    this(method, path, new byte[0]);
  }

  int status() {
    return status;
  }

  /** The length given to sendResponseHeaders (-1: no body). */
  long declaredLength() {
    return declaredLength;
  }

  String body() {
    return sent.toString(StandardCharsets.UTF_8);
  }

  @Override
  public Headers getRequestHeaders() {
    return requestHeaders;
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return uri;
  }

  @Override
  public String getRequestMethod() {
    return method;
  }

  @Override
  public HttpContext getHttpContext() {
    return null;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public InputStream getRequestBody() {
    return in;
  }

  @Override
  public OutputStream getResponseBody() {
    return out;
  }

  @Override
  public void sendResponseHeaders(int code, long length) {
    if (status != -1) {
      throw new IllegalStateException("headers sent twice: " + status + " then " + code);
    }
    status = code;
    declaredLength = length;
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return new InetSocketAddress("127.0.0.1", 40000);
  }

  @Override
  public int getResponseCode() {
    return status;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return new InetSocketAddress("127.0.0.1", 8501);
  }

  @Override
  public String getProtocol() {
    return "HTTP/1.1";
  }

  @Override
  public Object getAttribute(String name) {
    return null;
  }

  @Override
  public void setAttribute(String name, Object value) {}

  @Override
  public void setStreams(InputStream i, OutputStream o) {
    in = i == null ? in : i;
    out = o == null ? out : o;
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return null;
  }
}
