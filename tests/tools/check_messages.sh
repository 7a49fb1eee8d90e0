#!/bin/bash
# Every word the latih client says comes from the message catalog
# (client/lib/messages.h), in English and Bahasa Indonesia. Fails if a file of
# client/cli/ or client/lib/ writes a string literal with a word (two letters
# in a row, escapes such as \033[K left out) to std::cout or std::cerr, builds
# a Status, a table footer or an import line error from one, other than
# through Say(). Punctuation such as "\n", ": " or " (" passes.
# Usage: check_messages.sh [REPO_ROOT]
set -euo pipefail
root=${1:-$(dirname "$0")/../..}
cd "$root"
files=$(ls client/cli/*.cc client/lib/*.cc | grep -vE '^client/lib/messages\.cc$')
# shellcheck disable=SC2086
perl -0777 -ne '
  my $text = $_;
  # One statement from its sink to the next ";" (a ";" inside a literal ends it early: fine here).
  while ($text =~ /(std::(?:cout|cerr)\b|Status::[A-Z]\w*\(|footer\.push_back\(|errors\.push_back\()([^;]*)/g) {
    my ($sink, $rest, $at) = ($1, $2, $-[0]);
    while ($rest =~ /"((?:[^"\\\n]|\\.)*)"/g) {
      my $literal = $1;
      (my $lit = $literal) =~ s/\\(?:[0-7]{1,3}|x[0-9A-Fa-f]+|.)//g;
      next unless $lit =~ /[A-Za-z]{2}/;
      my $line = 1 + (substr($text, 0, $at) =~ tr/\n//);
      print "$ARGV:$line: $sink ... \"$literal\": say it through Say(Msg::...) (client/lib/messages.h)\n";
      $main::bad = 1;
    }
  }
  END { exit($main::bad ? 1 : 0) }
' $files && echo "messages: ok"
