namespace WebApp;

/// <summary>Hook for the minimal-API examples of each rule, so Program.cs stays short.</summary>
public static partial class SampleEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
    }
}
