/**
 * Internal (not part of the public API, kept out of the Javadoc site; it may change): {@code
 * tf-mnist serve}: TF Serving's REST API, a picture route, the drawing page, health and Prometheus
 * metrics, for every model under a directory.
 *
 * <p>Three layers, each knowing only the one below it:
 *
 * <ul>
 *   <li>the HTTP edge: {@code HttpFront} (the one class that knows Jetty) reads a whole request
 *       into a {@code Request} and writes a {@code Response}; {@code Bodies}, {@code BodyBudget}
 *       and {@code Multipart} read bodies within their limits;
 *   <li>the routes: {@code ModelServer} routes a {@code Request}; {@code RestApi} and {@code
 *       PictureApi} take a {@code Route} or a {@code RouteRequest}, and share {@code Inference}
 *       (the version, the deadline, TF Serving's metrics); {@code HttpStatus} is the one place a
 *       failure becomes a status, and {@code Json} writes every body;
 *   <li>the serving core: {@code ModelRegistry} (versions kept in step with the directory), {@code
 *       ModelVersion}, {@code Scheduler} and {@code Batcher}. It throws {@code ServeException} with
 *       a reason and knows nothing of HTTP.
 * </ul>
 *
 * <p>May import: {@code runtime} (loading and running a SavedModel), {@code export} (the SavedModel
 * format and outputs), {@code image} and {@code data} (pictures), {@code util}, Jackson, Jetty (in
 * {@code HttpFront} only) and TensorFlow's protos. Nothing here imports the CLI or training; the
 * CLI uses {@code ModelServer} and {@code ServeConfig}.
 */
package org.tfmnist.serve;
