namespace ServerErrors.Analyzers.Tests.Stubs;

/// <summary>
/// Stubs of the retry packages the registry copy lacks, with their real namespaces, type names and signatures.
/// Polly (v7 API) and Polly.Core (v8) themselves are referenced for real through <c>TestReferences.Polly</c>.
/// </summary>
public static class RetryStubs
{
    /// <summary>Polly.Extensions.Http.</summary>
    public const string PollyExtensionsHttp = """
        namespace Polly.Extensions.Http
        {
            using System.Net.Http;

            public static class HttpPolicyExtensions
            {
                public static Polly.PolicyBuilder<HttpResponseMessage> HandleTransientHttpError()
                    => Polly.Policy<HttpResponseMessage>.Handle<HttpRequestException>().OrResult(r => (int)r.StatusCode >= 500 || r.StatusCode == System.Net.HttpStatusCode.RequestTimeout);

                public static Polly.PolicyBuilder<HttpResponseMessage> OrTransientHttpError(this Polly.PolicyBuilder<HttpResponseMessage> builder)
                    => builder.Or<HttpRequestException>().OrResult(r => (int)r.StatusCode >= 500 || r.StatusCode == System.Net.HttpStatusCode.RequestTimeout);

                public static Polly.PolicyBuilder<HttpResponseMessage> OrTransientHttpStatusCode(this Polly.PolicyBuilder<HttpResponseMessage> builder)
                    => builder.OrResult(r => (int)r.StatusCode >= 500 || r.StatusCode == System.Net.HttpStatusCode.RequestTimeout);
            }
        }
        """;

    /// <summary>Microsoft.Extensions.Http.Polly.</summary>
    public const string MicrosoftExtensionsHttpPolly = """
        namespace Microsoft.Extensions.DependencyInjection
        {
            using System;
            using System.Net.Http;
            using Polly;

            public static class PollyHttpClientBuilderExtensions
            {
                public static IHttpClientBuilder AddPolicyHandler(this IHttpClientBuilder builder, IAsyncPolicy<HttpResponseMessage> policy) => builder;

                public static IHttpClientBuilder AddTransientHttpErrorPolicy(this IHttpClientBuilder builder, Func<PolicyBuilder<HttpResponseMessage>, IAsyncPolicy<HttpResponseMessage>> configurePolicy) => builder;
            }
        }
        """;

    /// <summary>Microsoft.Extensions.Http.Resilience.</summary>
    public const string MicrosoftExtensionsHttpResilience = """
        namespace Microsoft.Extensions.Http.Resilience
        {
            using System;
            using System.Net.Http;
            using Polly;
            using Polly.Retry;

            public class HttpRetryStrategyOptions : RetryStrategyOptions<HttpResponseMessage>
            {
                public HttpRetryStrategyOptions()
                {
                    ShouldHandle = args => new System.Threading.Tasks.ValueTask<bool>(HttpClientResiliencePredicates.IsTransient(args.Outcome));
                    BackoffType = DelayBackoffType.Exponential;
                    UseJitter = true;
                }

                public bool ShouldRetryAfterHeader { get; set; } = true;
            }

            public class HttpStandardResilienceOptions
            {
                public HttpRetryStrategyOptions Retry { get; set; } = new HttpRetryStrategyOptions();
            }

            public static class HttpClientResiliencePredicates
            {
                public static bool IsTransient(Outcome<HttpResponseMessage> outcome)
                    => outcome.Exception is HttpRequestException || outcome.Result is { } r && ((int)r.StatusCode >= 500 || (int)r.StatusCode == 408 || (int)r.StatusCode == 429);
            }

            public interface IHttpResiliencePipelineBuilder
            {
            }

            public interface IHttpStandardResiliencePipelineBuilder
            {
            }
        }

        namespace Microsoft.Extensions.DependencyInjection
        {
            using System;
            using System.Net.Http;
            using Microsoft.Extensions.Http.Resilience;
            using Polly;

            public static class ResilienceHttpClientBuilderExtensions
            {
                public static IHttpStandardResiliencePipelineBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder, Action<HttpStandardResilienceOptions> configure) => null!;

                public static IHttpResiliencePipelineBuilder AddResilienceHandler(this IHttpClientBuilder builder, string pipelineName, Action<ResiliencePipelineBuilder<HttpResponseMessage>> configure) => null!;

                // SE2005/SE2006 (issue 9): the other overloads and handlers of the real class.
                public static IHttpStandardResiliencePipelineBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder) => null!;

                public static IHttpStandardResiliencePipelineBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder, Microsoft.Extensions.Configuration.IConfigurationSection section) => null!;

                public static IStandardHedgingHandlerBuilder AddStandardHedgingHandler(this IHttpClientBuilder builder) => null!;

                public static IStandardHedgingHandlerBuilder AddStandardHedgingHandler(this IHttpClientBuilder builder, Action<IRoutingStrategyBuilder> configure) => null!;

                [System.Diagnostics.CodeAnalysis.Experimental("EXTEXP0001")]
                public static IHttpClientBuilder RemoveAllResilienceHandlers(this IHttpClientBuilder builder) => builder;
            }

            public static class HttpStandardResiliencePipelineBuilderExtensions
            {
                public static IHttpStandardResiliencePipelineBuilder Configure(this IHttpStandardResiliencePipelineBuilder builder, Action<HttpStandardResilienceOptions> configure) => builder;
            }
        }

        namespace Microsoft.Extensions.Http.Resilience
        {
            using System.Net.Http;

            public interface IStandardHedgingHandlerBuilder
            {
            }

            public interface IRoutingStrategyBuilder
            {
            }

            public static class HttpRetryStrategyOptionsExtensions
            {
                public static void DisableForUnsafeHttpMethods(this HttpRetryStrategyOptions options)
                {
                }

                public static void DisableFor(this HttpRetryStrategyOptions options, params HttpMethod[] methods)
                {
                }
            }
        }
        """;

    /// <summary>Polly.Contrib.WaitAndRetry.</summary>
    public const string PollyContribWaitAndRetry = """
        namespace Polly.Contrib.WaitAndRetry
        {
            using System;
            using System.Collections.Generic;

            public static class Backoff
            {
                public static IEnumerable<TimeSpan> ConstantBackoff(TimeSpan delay, int retryCount, bool fastFirst = false) => new TimeSpan[retryCount];

                public static IEnumerable<TimeSpan> LinearBackoff(TimeSpan initialDelay, int retryCount, double factor = 1, bool fastFirst = false) => new TimeSpan[retryCount];

                public static IEnumerable<TimeSpan> ExponentialBackoff(TimeSpan initialDelay, int retryCount, double factor = 2, bool fastFirst = false) => new TimeSpan[retryCount];

                public static IEnumerable<TimeSpan> DecorrelatedJitterBackoffV2(TimeSpan medianFirstRetryDelay, int retryCount, int? seed = null, bool fastFirst = false) => new TimeSpan[retryCount];
            }
        }
        """;
}
