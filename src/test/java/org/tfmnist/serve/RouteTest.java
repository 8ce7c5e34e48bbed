package org.tfmnist.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * TF Serving's REST paths as {@link Route} reads them: which method and path is which route (model,
 * version, label, verb), case-insensitive as TF Serving's; everything else no route (null), which
 * the server answers 400.
 */
@Timeout(30)
class RouteTest {

  @ParameterizedTest(name = "[{index}] {0} {1} -> {2} v{3} label={4} {5}")
  @CsvSource(
      nullValues = "null",
      textBlock =
          """
          GET,  /v1/models/mlp,                          mlp, null, null,   status
          HEAD, /v1/models/mlp,                          mlp, null, null,   status
          GET,  /v1/models/mlp/versions/3,               mlp, 3,    null,   status
          GET,  /v1/models/mlp/metadata,                 mlp, null, null,   metadata
          GET,  /v1/models/mlp/versions/12/metadata,     mlp, 12,   null,   metadata
          GET,  /v1/models/mlp/labels/stable,            mlp, null, stable, status
          GET,  /v1/models/mlp/labels/stable/metadata,   mlp, null, stable, metadata
          GET,  /V1/MODELS/Mlp/VERSIONS/3/METADATA,      Mlp, 3,    null,   metadata
          POST, /v1/models/mlp:predict,                  mlp, null, null,   predict
          POST, /v1/models/mlp/versions/7:predict,       mlp, 7,    null,   predict
          POST, /v1/models/mlp/labels/canary:predict,    mlp, null, canary, predict
          POST, /v1/models/mlp:classify,                 mlp, null, null,   classify
          POST, /v1/models/mlp:regress,                  mlp, null, null,   regress
          POST, /v1/models/mlp:recognize,                mlp, null, null,   recognize
          POST, /v1/models/mlp:PREDICT,                  mlp, null, null,   predict
          POST, /v1/models/cnn-2.b_x/versions/0:predict, cnn-2.b_x, 0, null, predict
          GET,  /v1/models/mlp/versions/999999999999999999, mlp, 999999999999999999, null, status
          """)
  void tfServingPathsAreRoutes(
      String method, String path, String model, Long version, String label, String verb) {
    Route r = Route.parse(method, path);
    assertEquals(new Route(model, version, label, verb), r, method + " " + path);
  }

  @ParameterizedTest(name = "[{index}] {0} {1} is no route")
  @CsvSource(
      textBlock =
          """
          GET,    /v1/models/mlp:predict
          POST,   /v1/models/mlp
          POST,   /v1/models/mlp/metadata
          PUT,    /v1/models/mlp:predict
          DELETE, /v1/models/mlp
          get,    /v1/models/mlp
          GET,    /v1/models/
          GET,    /v1/models
          GET,    /v1/models/mlp/
          GET,    /v1/models/mlp/metadata/
          POST,   /v1/models/mlp:predict/
          GET,    /v1/models/mlp/versions/
          GET,    /v1/models/mlp/versions/abc
          GET,    /v1/models/mlp/versions/-1
          GET,    /v1/models/mlp/versions/1234567890123456789
          GET,    /v1/models/mlp/versions/3/labels/x
          POST,   /v1/models/mlp:explain
          POST,   /v1/models/mlp:predict:predict
          POST,   /v1/models/a/b:predict
          GET,    /v1/models/mlp/status
          GET,    /v2/models/mlp
          GET,    /prefix/v1/models/mlp
          """)
  void otherPathsAreNoRoute(String method, String path) {
    assertNull(Route.parse(method, path), method + " " + path);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          /v1/models/mlp                  | Latest(mlp)
          /v1/models/mlp/versions/4       | Specific(mlp, 4)
          /v1/models/mlp/labels/stable    | Label(mlp, stable)
          """)
  void errorsNameTheServableAsTfServingDoes(String path, String servable) {
    assertEquals(servable, Route.parse("GET", path).servable());
  }
}
