# shellcheck shell=bash
# Create the phonebook's application user with rights on its own database only.
#
# The mysql image's docker-entrypoint.sh sources this file (it is not
# executable) on the first start with an empty data directory, after it has
# created MYSQL_DATABASE. Sourcing gives access to the entrypoint's helpers
# docker_process_sql, mysql_note and mysql_error, and to its `set -e`.
#
# The image's own MYSQL_USER option is not used because it grants ALL
# PRIVILEGES on the database. This user gets the data rights the API needs
# plus the DDL rights that its start-up schema migrations need (tables,
# indexes and the triggers that keep the change log), and nothing outside
# MYSQL_DATABASE: no global, GRANT OPTION or administrative rights.
#
# Environment:
#   MYSQL_DATABASE              the application's database
#   PHONEBOOK_DB_USER           user name for the application
#   PHONEBOOK_DB_PASSWORD_FILE  file containing its password (a Compose
#                               secret); PHONEBOOK_DB_PASSWORD is accepted
#                               instead, but it shows in `docker inspect`

phonebook_escape_sql_string() {
    # Escape a value for a single-quoted SQL string literal.
    local value="${1//\\/\\\\}"
    printf '%s' "${value//\'/\\\'}"
}

phonebook_create_app_user() {
    local user="${PHONEBOOK_DB_USER:-}"
    local database="${MYSQL_DATABASE:-}"
    local password_file="${PHONEBOOK_DB_PASSWORD_FILE:-}"
    local password="${PHONEBOOK_DB_PASSWORD:-}"

    if ! declare -F docker_process_sql >/dev/null; then
        echo "10-create-app-user.sh: docker_process_sql is not defined; this file must be sourced by the mysql image's entrypoint" >&2
        exit 1
    fi
    if [[ ! "$user" =~ ^[A-Za-z0-9_]{1,32}$ ]]; then
        mysql_error "PHONEBOOK_DB_USER='$user' is invalid: use 1 to 32 letters, digits or underscores"
    fi
    if [[ ! "$database" =~ ^[A-Za-z0-9_]{1,64}$ ]]; then
        mysql_error "MYSQL_DATABASE='$database' is invalid: use 1 to 64 letters, digits or underscores"
    fi
    if [[ -n "$password_file" && -n "$password" ]]; then
        mysql_error "PHONEBOOK_DB_PASSWORD and PHONEBOOK_DB_PASSWORD_FILE are both set: keep only one of them"
    fi
    if [[ -n "$password_file" ]]; then
        if [[ ! -r "$password_file" ]]; then
            mysql_error "PHONEBOOK_DB_PASSWORD_FILE='$password_file' is missing or not readable by uid $(id -u)"
        fi
        # $(<file) drops trailing newlines, which editors and `echo` add.
        password="$(<"$password_file")"
    fi
    if [[ -z "$password" ]]; then
        mysql_error "the application user's password is empty: set PHONEBOOK_DB_PASSWORD_FILE to a non-empty file"
    fi

    mysql_note "Creating user '$user' with rights on database '$database' only"
    # The password travels on the client's standard input, never on a command line.
    docker_process_sql --database=mysql <<-SQL
		CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$(phonebook_escape_sql_string "$password")';
		GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES, TRIGGER
		    ON \`$database\`.* TO '$user'@'%';
	SQL
}

phonebook_create_app_user
unset -f phonebook_create_app_user phonebook_escape_sql_string
