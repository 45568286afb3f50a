use super::*;

fn origin(items: &[&'static str]) -> Settings<'static> {
    Settings {
        origin: Some(items.to_vec()),
        ..Settings::default()
    }
}

fn problems(settings: &Settings<'_>) -> Vec<(Location, String)> {
    match validate(settings) {
        Ok(policy) => panic!("{settings:?} was accepted as {policy:?}"),
        Err(problems) => problems
            .into_iter()
            .map(|p| (p.location, p.message))
            .collect(),
    }
}

#[test]
fn defaults_and_shapes() {
    let policy = validate(&origin(&["https://myapp.com"])).unwrap();
    assert_eq!(
        policy,
        Policy {
            origins: Origins::Exact("https://myapp.com"),
            methods: Names::Default,
            headers: Names::Default,
            expose_headers: Names::Default,
            credentials: false,
            max_age: None,
            preflight: true,
            origin_fn: false,
            front_door: false,
            csrf: Csrf::Off,
        }
    );
    assert_eq!(validate(&origin(&["*"])).unwrap().origins, Origins::Any);
    let list_of_one = Settings {
        origin_is_list: true,
        ..origin(&["https://myapp.com"])
    };
    assert_eq!(
        validate(&list_of_one).unwrap().origins,
        Origins::List(vec![OriginSpec::Exact("https://myapp.com")]),
        "a list of one is still a list"
    );
    assert_eq!(
        validate(&origin(&["https://a.com", "https://*.b.com"]))
            .unwrap()
            .origins,
        Origins::List(vec![
            OriginSpec::Exact("https://a.com"),
            OriginSpec::Wildcard {
                prefix: "https://",
                suffix: ".b.com"
            }
        ])
    );
    let env = Settings {
        origin_env: Some("ALLOWED_ORIGINS"),
        ..Settings::default()
    };
    assert_eq!(
        validate(&env).unwrap().origins,
        Origins::Env("ALLOWED_ORIGINS")
    );
}

/// The cases where the attribute and the builder used to disagree.
#[test]
fn the_former_drift_cases() {
    // Methods are case-sensitive: `PURGE` and `purge` are two methods, both allowed.
    let purge = Settings {
        methods: Some(vec!["PURGE", "purge"]),
        ..origin(&["https://myapp.com"])
    };
    assert_eq!(
        validate(&purge).unwrap().methods,
        Names::List(vec!["PURGE", "purge"])
    );
    // Header names are not: listing one twice is refused.
    let twice = Settings {
        headers: Some(vec!["X-Id", "x-id"]),
        ..origin(&["https://myapp.com"])
    };
    assert_eq!(
        problems(&twice),
        [(
            Location::Item(Key::Headers, 1),
            "`headers` lists `x-id` twice".to_owned()
        )]
    );
    // An empty `expose_headers` is refused like every other empty list.
    let empty = Settings {
        expose_headers: Some(vec![]),
        ..origin(&["https://myapp.com"])
    };
    assert_eq!(
        problems(&empty),
        [(
            Location::Value(Key::ExposeHeaders),
            "the `expose_headers` list is empty: leave `expose_headers` out for the default"
                .to_owned()
        )]
    );
    // The name of an `origin_env` variable.
    for bad in ["", "1ORIGINS", "ALLOWED-ORIGINS", "ÄRGER"] {
        let env = Settings {
            origin_env: Some(bad),
            ..Settings::default()
        };
        assert_eq!(
            problems(&env)[0].0,
            Location::Value(Key::OriginEnv),
            "{bad:?}"
        );
    }
}

#[test]
fn every_problem_at_once_each_where_it_belongs() {
    let settings = Settings {
        origin: Some(vec!["myapp.com", "https://ok.com/", "*", "https://ok.com"]),
        methods: Some(vec!["get", "*"]),
        headers: Some(vec!["*"]),
        expose_headers: Some(vec!["x id"]),
        credentials: Some(true),
        max_age: Some(u64::from(u32::MAX) + 1),
        ..Settings::default()
    };
    let locations: Vec<Location> = problems(&settings).into_iter().map(|(l, _)| l).collect();
    assert_eq!(
        locations,
        [
            Location::Item(Key::Origin, 0),
            Location::Item(Key::Origin, 1),
            Location::Item(Key::Origin, 2),
            Location::Item(Key::Methods, 0),
            Location::Item(Key::Methods, 1),
            Location::Item(Key::Headers, 0),
            Location::Item(Key::ExposeHeaders, 0),
            Location::Value(Key::MaxAge),
        ]
    );
}

#[test]
fn origin_rules() {
    assert_eq!(
        problems(&origin(&[])),
        [(
            Location::Value(Key::Origin),
            "the `origin` list is empty: allow at least one origin".to_owned()
        )]
    );
    assert_eq!(
        problems(&origin(&["https://a.com", "https://a.com"])),
        [(
            Location::Item(Key::Origin, 1),
            "origin `https://a.com` is listed twice".to_owned()
        )]
    );
    let star = Settings {
        credentials: Some(true),
        ..origin(&["*"])
    };
    let refused = validate(&star).unwrap_err();
    assert_eq!(refused[0].location, Location::Item(Key::Origin, 0));
    assert_eq!(
        refused[0].hint.as_deref(),
        Some("list the origins that may send credentials")
    );
    let both = Settings {
        origin_env: Some("X"),
        ..origin(&["https://a.com"])
    };
    assert_eq!(problems(&both)[0].0, Location::Key(Key::OriginEnv));
    assert_eq!(problems(&Settings::default())[0].0, Location::Whole);
    let unreadable = Settings {
        unreadable: vec![Key::Origin],
        ..Settings::default()
    };
    assert!(validate(&unreadable).is_err(), "nothing is allowed");
    assert!(
        validate(&unreadable).unwrap_err().is_empty(),
        "but `origin` is not reported missing"
    );
}

#[test]
fn names_rules() {
    let with = |key: Key, items: &[&'static str], credentials| {
        let mut settings = origin(&["https://a.com"]);
        settings.credentials = Some(credentials);
        let list = Some(items.to_vec());
        match key {
            Key::Methods => settings.methods = list,
            Key::Headers => settings.headers = list,
            _ => settings.expose_headers = list,
        }
        settings
    };
    for key in [Key::Methods, Key::Headers, Key::ExposeHeaders] {
        assert!(validate(&with(key, &["*"], false)).is_ok(), "{key}");
        let star = problems(&with(key, &["*"], true));
        assert_eq!(star[0].0, Location::Item(key, 0), "{key}");
        let alone = problems(&with(key, &["X-A", "*"], false));
        assert_eq!(alone[0].0, Location::Item(key, 1), "{key}");
    }
    assert!(validate(&with(Key::Methods, &["GET", "GET"], false)).is_err());
    assert!(validate(&with(Key::Methods, &["TRACE"], false)).is_err());
}

#[test]
fn max_age_is_a_u32() {
    let at = |seconds| Settings {
        max_age: Some(seconds),
        ..origin(&["https://a.com"])
    };
    assert_eq!(validate(&at(600)).unwrap().max_age, Some(600));
    assert_eq!(
        validate(&at(u64::from(u32::MAX))).unwrap().max_age,
        Some(u32::MAX)
    );
    assert_eq!(problems(&at(u64::MAX))[0].0, Location::Value(Key::MaxAge));
}

#[test]
fn env_values() {
    assert_eq!(validate_env("*", false, false), Ok(EnvOrigins::Any));
    assert_eq!(
        validate_env(" https://a.com ", true, false),
        Ok(EnvOrigins::List(vec![OriginSpec::Exact("https://a.com")])),
        "a single origin from the environment is still a list"
    );
    let located = |value: &str, credentials| -> Vec<Location> {
        validate_env(value, credentials, false)
            .unwrap_err()
            .into_iter()
            .map(|p| p.location)
            .collect()
    };
    assert_eq!(located("", false), [Location::Value(Key::OriginEnv)]);
    assert_eq!(located(" \t", false), [Location::Value(Key::OriginEnv)]);
    assert_eq!(
        located("https://a.com,", false),
        [Location::Item(Key::OriginEnv, 1)]
    );
    assert_eq!(located("*", true), [Location::Item(Key::OriginEnv, 0)]);
    assert_eq!(
        located("https://a.com,*", false),
        [Location::Item(Key::OriginEnv, 1)]
    );
    assert_eq!(
        located("https://a.com/,https://a.com,https://a.com", false),
        [
            Location::Item(Key::OriginEnv, 0),
            Location::Item(Key::OriginEnv, 2)
        ]
    );
    // The same message as the literal's, by construction.
    let literal = validate(&Settings {
        credentials: Some(true),
        ..origin(&["*"])
    })
    .unwrap_err();
    let env = validate_env("*", true, false).unwrap_err();
    assert_eq!(literal[0].message, env[0].message);
    assert_eq!(
        env_entries("a, b,,c ").collect::<Vec<_>>(),
        ["a", "b", "", "c"]
    );
}

#[test]
fn a_check_in_code() {
    let alone = Settings {
        origin_fn: true,
        ..Settings::default()
    };
    let policy = validate(&alone).unwrap();
    assert!(policy.origin_fn);
    assert_eq!(
        policy.origins,
        Origins::List(vec![]),
        "the check alone decides"
    );
    let single = Settings {
        origin_fn: true,
        ..origin(&["https://myapp.com"])
    };
    assert_eq!(
        validate(&single).unwrap().origins,
        Origins::List(vec![OriginSpec::Exact("https://myapp.com")]),
        "with a check, every response varies on Origin"
    );
    let star = Settings {
        origin_fn: true,
        ..origin(&["*"])
    };
    assert_eq!(problems(&star)[0].0, Location::Item(Key::Origin, 0));
    let env = Settings {
        origin_fn: true,
        origin_env: Some("TENANTS"),
        ..Settings::default()
    };
    assert_eq!(validate(&env).unwrap().origins, Origins::Env("TENANTS"));
    assert!(validate_env("*", false, true).is_err());
    assert!(validate_env("https://a.com", false, true).is_ok());
}

#[test]
fn the_front_door_mode() {
    let door = Settings {
        front_door: Some(true),
        ..origin(&["https://myapp.com"])
    };
    let policy = validate(&door).unwrap();
    assert!(policy.front_door && !policy.preflight);
    let with = |settings: Settings<'static>| {
        problems(&Settings {
            front_door: Some(true),
            ..settings
        })
        .into_iter()
        .map(|(location, _)| location)
        .collect::<Vec<_>>()
    };
    assert_eq!(
        with(Settings {
            preflight: Some(false),
            ..origin(&["https://a.com"])
        }),
        [Location::Key(Key::Preflight)]
    );
    assert_eq!(
        with(Settings {
            origin_fn: true,
            ..origin(&["https://a.com"])
        }),
        [Location::Key(Key::OriginFn)]
    );
    assert_eq!(
        with(Settings {
            origin_env: Some("ORIGINS"),
            ..Settings::default()
        }),
        [Location::Key(Key::OriginEnv)]
    );
}

#[test]
fn csrf_defaults_to_block_with_credentials_and_refuses_what_cannot_work() {
    let mode = |settings: Settings<'static>| validate(&settings).unwrap().csrf;
    assert_eq!(mode(origin(&["https://a.com"])), Csrf::Off);
    let credentialed = Settings {
        credentials: Some(true),
        ..origin(&["https://a.com"])
    };
    assert_eq!(mode(credentialed.clone()), Csrf::Block);
    for written in Csrf::ALL {
        let settings = Settings {
            csrf: Some(written.name()),
            ..credentialed.clone()
        };
        assert_eq!(mode(settings), written, "an explicit value wins");
    }
    assert_eq!(
        mode(Settings {
            csrf: Some("block"),
            ..origin(&["https://a.com"])
        }),
        Csrf::Block
    );
    assert_eq!(
        mode(Settings {
            csrf: Some("off"),
            ..origin(&["*"])
        }),
        Csrf::Off,
        "off beside `*` is what `*` means"
    );

    let star = problems(&Settings {
        csrf: Some("block"),
        ..origin(&["*"])
    });
    assert_eq!(star.len(), 1);
    assert_eq!(star[0].0, Location::Value(Key::Csrf));
    assert!(
        star[0].1.contains("it would refuse nothing"),
        "{}",
        star[0].1
    );

    let typo = validate(&Settings {
        csrf: Some("Block"),
        ..origin(&["https://a.com"])
    })
    .unwrap_err();
    assert_eq!(typo[0].location, Location::Value(Key::Csrf));
    assert_eq!(
        typo[0].hint.as_deref(),
        Some("did you mean `csrf = \"block\"`?")
    );
    let unknown = validate(&Settings {
        csrf: Some("maybe"),
        ..origin(&["https://a.com"])
    })
    .unwrap_err();
    assert_eq!(unknown[0].hint, None);
    assert_eq!(Csrf::closest("warn"), Some(Csrf::Report));
    assert_eq!(Csrf::closest("false"), Some(Csrf::Off));
}
