# Homebrew formula for the tap git-postmortem/homebrew-tap, as
# Formula/git-postmortem.rb: `brew install git-postmortem/tap/git-postmortem`.
#
# A template: the release workflow fills in the version and each archive's
# SHA-256 with scripts/homebrew-formula.sh from the release's .sha256 files,
# publishes the result as a release asset and, when the secret
# HOMEBREW_TAP_TOKEN is set, commits it to the tap (see RELEASING.md).
class GitPostmortem < Formula
  desc "Blameless postmortems as TOML in your repository, safeguards proven shipped"
  homepage "https://github.com/git-postmortem/git-postmortem"
  version "@VERSION@"
  license any_of: ["MIT", "Apache-2.0"]

  on_macos do
    on_arm do
      url "https://github.com/git-postmortem/git-postmortem/releases/download/v@VERSION@/git-postmortem-@VERSION@-aarch64-apple-darwin.tar.gz"
      sha256 "@SHA256_AARCH64_APPLE_DARWIN@"
    end
    on_intel do
      url "https://github.com/git-postmortem/git-postmortem/releases/download/v@VERSION@/git-postmortem-@VERSION@-x86_64-apple-darwin.tar.gz"
      sha256 "@SHA256_X86_64_APPLE_DARWIN@"
    end
  end

  on_linux do
    on_arm do
      url "https://github.com/git-postmortem/git-postmortem/releases/download/v@VERSION@/git-postmortem-@VERSION@-aarch64-unknown-linux-musl.tar.gz"
      sha256 "@SHA256_AARCH64_UNKNOWN_LINUX_MUSL@"
    end
    on_intel do
      url "https://github.com/git-postmortem/git-postmortem/releases/download/v@VERSION@/git-postmortem-@VERSION@-x86_64-unknown-linux-musl.tar.gz"
      sha256 "@SHA256_X86_64_UNKNOWN_LINUX_MUSL@"
    end
  end

  depends_on "git"

  def install
    bin.install "git-postmortem"
    man1.install Dir["man/man1/*.1"]
    bash_completion.install "complete/git-postmortem.bash" => "git-postmortem"
    zsh_completion.install "complete/_git-postmortem"
    fish_completion.install "complete/git-postmortem.fish"
    doc.install "README.md", "CHANGELOG.md"
  end

  test do
    assert_match "git-postmortem #{version}", shell_output("#{bin}/git-postmortem --version")
    system "git", "init", "--quiet", testpath/"repo"
    system bin/"git-postmortem", "-C", testpath/"repo", "init"
    assert_path_exists testpath/"repo/.postmortem.toml"
  end
end
