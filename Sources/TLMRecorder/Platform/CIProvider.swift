/// Which CI service a run happens in, by name only: the event's `ci` field.
///
/// Each provider is recognised by the variable its documentation says it always
/// sets; nothing else is read (no branch, repository, job or user names):
/// - GitHub Actions: `GITHUB_ACTIONS=true` (docs.github.com, "Variables reference")
/// - GitLab CI/CD: `GITLAB_CI=true` (docs.gitlab.com, "Predefined CI/CD variables")
/// - Jenkins: `JENKINS_URL` (jenkins.io, "Using environment variables")
/// - Buildkite: `BUILDKITE=true` (buildkite.com/docs, "Environment variables")
/// - CircleCI: `CIRCLECI=true` (circleci.com/docs, "Project values and variables")
/// - Azure Pipelines: `TF_BUILD=True` (learn.microsoft.com, "Predefined variables")
/// - Bitbucket Pipelines: `BITBUCKET_BUILD_NUMBER` (support.atlassian.com, "Variables and secrets")
/// - Travis CI: `TRAVIS=true` (docs.travis-ci.com, "Environment Variables")
/// - anything else that sets `CI=true` (or `1`): `generic`.
public enum CIProvider {
    /// The provider's name, or nil outside CI.
    public static func detect(_ environment: Environment) -> String? {
        func isTrue(_ name: String) -> Bool {
            guard let value = environment[name] else { return false }
            return value.lowercased() == "true" || value == "1"
        }
        func isSet(_ name: String) -> Bool { !(environment[name] ?? "").isEmpty }
        if isTrue("GITHUB_ACTIONS") { return "github-actions" }
        if isSet("GITLAB_CI") { return "gitlab" }
        if isSet("JENKINS_URL") { return "jenkins" }
        if isTrue("BUILDKITE") { return "buildkite" }
        if isTrue("CIRCLECI") { return "circleci" }
        if isTrue("TF_BUILD") { return "azure-pipelines" }
        if isSet("BITBUCKET_BUILD_NUMBER") { return "bitbucket" }
        if isTrue("TRAVIS") { return "travis" }
        if isTrue("CI") { return "generic" }
        return nil
    }
}
