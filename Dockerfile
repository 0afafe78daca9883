# syntax=docker/dockerfile:1
# One image recipe for the five services and the gateway; build arguments say which project. The build context
# is the repository root, e.g.
#   docker build --build-arg PROJECT_DIR=services/AccountingSync --build-arg ASSEMBLY=QuoteToCash.AccountingSync \
#     -t quotetocash/accounting-sync:dev .
#   docker build --build-arg PROJECT_DIR=gateway/QuoteToCash.Gateway --build-arg ASSEMBLY=QuoteToCash.Gateway \
#     -t quotetocash/gateway:dev .
# docker-compose.yml passes the same arguments for each service. Every project built here references
# ServiceDefaults (and through it Contracts) and nothing else; a project that needs more cannot use this file as is.
# The finance web app is one (it compiles services/Reporting/Domain/Kpis/KpiViews.cs): gateway/QuoteToCash.WebApp/Dockerfile.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The folder of the project, and its name (= its .csproj file name and its assembly name).
ARG PROJECT_DIR
ARG ASSEMBLY
RUN test -n "$PROJECT_DIR" && test -n "$ASSEMBLY" \
    || { echo "Set --build-arg PROJECT_DIR=<folder of the project> and --build-arg ASSEMBLY=<project name>." >&2; exit 1; }
WORKDIR /src

# Restore first, from the project files only, so the layer is reused until a project file changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY contracts/QuoteToCash.Contracts/QuoteToCash.Contracts.csproj contracts/QuoteToCash.Contracts/
COPY services/ServiceDefaults/QuoteToCash.ServiceDefaults.csproj services/ServiceDefaults/
COPY ${PROJECT_DIR}/${ASSEMBLY}.csproj ${PROJECT_DIR}/
RUN dotnet restore ${PROJECT_DIR}/${ASSEMBLY}.csproj

COPY contracts/QuoteToCash.Contracts/ contracts/QuoteToCash.Contracts/
COPY services/ServiceDefaults/ services/ServiceDefaults/
COPY ${PROJECT_DIR}/ ${PROJECT_DIR}/
RUN dotnet publish ${PROJECT_DIR}/${ASSEMBLY}.csproj -c Release -o /app --no-restore -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
ARG ASSEMBLY
WORKDIR /app
# Listen on 8080 on all interfaces. URLS also outranks any "Urls" a later appsettings file might add.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    URLS=http://+:8080 \
    APP_ASSEMBLY=${ASSEMBLY}.dll
EXPOSE 8080
COPY --from=build /app ./
# The image's built-in non-root user (numeric, so Kubernetes' runAsNonRoot can verify it).
USER $APP_UID
# An exec-form ENTRYPOINT cannot read a build argument, so the shell reads APP_ASSEMBLY at start and execs
# dotnet in its place: dotnet stays process 1 and receives the stop signal.
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"$APP_ASSEMBLY\""]
