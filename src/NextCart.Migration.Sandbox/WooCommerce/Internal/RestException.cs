using System.Text.Json.Nodes;

namespace NextCart.Migration.Sandbox.WooCommerce.Internal;

/// <summary>A WordPress <c>WP_Error</c> on its way to the client: <c>{"code","message","data":{"status",…}}</c>.</summary>
internal sealed class RestException : Exception
{
    public RestException(string code, string message, int status, JsonObject? data = null)
        : base(message)
    {
        Code = code;
        Status = status;
        ExtraData = data;
    }

    public RestException()
        : this("internal_server_error", "Internal error.", 500)
    {
    }

    public RestException(string message)
        : this("internal_server_error", message, 500)
    {
    }

    public RestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "internal_server_error";
        Status = 500;
    }

    public string Code { get; }

    public int Status { get; }

    public JsonObject? ExtraData { get; }

    /// <summary>Gets extra response headers, such as <c>WWW-Authenticate</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public JsonObject ToBody() => Json.Error(Code, Message, Status, ExtraData);

    /// <summary>The <c>data</c> member as a batch item error carries it.</summary>
    public JsonObject DataObject() => (JsonObject)ToBody()["data"]!.DeepClone();

    public static RestException NoRoute()
        => new("rest_no_route", "No route was found matching the URL and request method.", 404);

    /// <summary><c>rest_missing_callback_param</c>, as <c>WP_REST_Request::has_valid_params</c> reports required arguments.</summary>
    public static RestException MissingParams(IReadOnlyList<string> names)
        => new("rest_missing_callback_param", "Missing parameter(s): " + string.Join(", ", names), 400, new JsonObject { ["params"] = Json.Strings(names) });

    /// <summary><c>rest_invalid_param</c>, as <c>WP_REST_Request::has_valid_params</c> reports invalid arguments (all of them at once).</summary>
    public static RestException InvalidParams(IReadOnlyList<ParamError> errors)
    {
        JsonObject parameters = [];
        JsonObject details = [];
        foreach (ParamError error in errors)
        {
            parameters[error.Param] = error.Message;
            details[error.Param] = new JsonObject { ["code"] = error.Code, ["message"] = error.Message, ["data"] = Json.Clone(error.Data) };
        }

        return new RestException(
            "rest_invalid_param",
            "Invalid parameter(s): " + string.Join(", ", errors.Select(e => e.Param)),
            400,
            new JsonObject { ["params"] = parameters, ["details"] = details });
    }
}

/// <summary>One invalid argument: the top-level parameter, the error code and the message WordPress gives.</summary>
internal sealed record ParamError(string Param, string Code, string Message, JsonNode? Data = null);
