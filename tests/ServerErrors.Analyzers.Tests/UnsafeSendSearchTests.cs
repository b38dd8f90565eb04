using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ServerErrors.Analyzers.Flow;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests;

/// <summary>
/// SE2005's syntax-only question of a typed client, "does it send POST or PATCH?", answered by searching the class's text
/// for the names and looking only at the tokens found (the Debug build also walks the class and requires the same node).
/// </summary>
public class UnsafeSendSearchTests
{
    public static TheoryData<string, string?> Bodies() => new()
    {
        { "_http.PostAsync(\"orders\", content)", "POST" },
        { "_http.PostAsJsonAsync<object>(\"orders\", new object())", "POST" },
        { "_http.PatchAsJsonAsync(\"orders/1\", new object())", "PATCH" },
        { "_http.SendAsync(new HttpRequestMessage(HttpMethod.Patch, \"orders/1\") { Content = content })", "PATCH" },
        { "_http.SendAsync(new HttpRequestMessage(new HttpMethod(\"post\"), \"orders\") { Content = content })", "POST" },
        // A verbatim identifier is the same name.
        { "_http.@PatchAsync(\"orders/1\", content)", "PATCH" },
        // An escape spells the name without its characters: the class is walked instead.
        { "_http.\\u0050ostAsync(\"orders\", content)", "POST" },
        // The first in document order wins: the outer call starts before the HttpMethod.Post inside it.
        { "_http.PatchAsync(\"orders/1\", new StringContent(HttpMethod.Post.Method))", "PATCH" },
        { "Forward(HttpMethod.Post).PatchAsync(\"orders/1\", content)", "PATCH" },
        { "_http.PatchAsync(\"a\", content).ContinueWith(_ => _http.PostAsync(\"b\", content)).Unwrap()", "PATCH" },
        { "_http.SendAsync(new HttpRequestMessage(HttpMethod.Patch, \"a\")).ContinueWith(_ => _http.PostAsync(\"b\", content)).Unwrap()", "PATCH" },
        // Names that are not a send: a comment, a string, a longer identifier, a PUT.
        { "_http.GetAsync(\"orders\") /* PostAsync, HttpMethod.Post */", null },
        { "_http.GetAsync(\"PostAsync\" + nameof(HttpMethod))", null },
        { "_http.GetAsync(MyPostAsyncUrl)", null },
        { "_http.SendAsync(new HttpRequestMessage(HttpMethod.Put, \"orders/1\") { Content = content })", null },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void FindsTheFirstUnsafeSend(string send, string? expected)
    {
        var source = $$"""
            using System.Net.Http;
            using System.Net.Http.Json;
            using System.Threading.Tasks;

            public class OrdersClient
            {
                private const string MyPostAsyncUrl = "orders";
                private readonly HttpClient _http;

                public OrdersClient(HttpClient http) => _http = http;

                private HttpClient Forward(HttpMethod method) => _http;

                public Task<HttpResponseMessage> Send(HttpContent content) => {{send}};
            }
            """;
        var compilation = CSharpCompilation.Create("Client", new[] { CSharpSyntaxTree.ParseText(source) }, TestReferences.NetCore, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var client = compilation.GetTypeByMetadataName("OrdersClient")!;

        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Equal(expected, HttpClientRegistration.SendsUnsafe(client, default));
    }
}
