// A small ASP.NET Core app that makes the mistakes ServerErrors.Analyzers catches.
// Build it (`dotnet build samples/Samples.sln`) and read the SE warnings.
using WebApp;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();

// SE1002: detailed SignalR errors in every environment.
builder.Services.AddSignalR(options => options.EnableDetailedErrors = true);

// SE1002: Blazor Server sends exception details to the browser in every environment.
builder.Services.AddServerSideBlazor(options => options.DetailedErrors = true);

var app = builder.Build();

// SE1002: the developer exception page shows stack traces and source code to anyone.
app.UseDeveloperExceptionPage();

// Correct: only in Development, or in a custom environment the team chose.
if (app.Environment.IsDevelopment() || app.Environment.EnvironmentName == "Docker")
{
    app.UseDeveloperExceptionPage();
}

app.MapControllers();
app.MapGet("/", () => "Hello World!");
SampleEndpoints.Map(app);

app.Run();
